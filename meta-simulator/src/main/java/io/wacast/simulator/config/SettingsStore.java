package io.wacast.simulator.config;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wacast.common.problem.Problem.FieldError;
import io.wacast.simulator.service.InvalidInputException;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Holds the current {@link SimulationSettings}. An update is a JSON merge over the current value, so
 * a test changes only the knob it cares about ({@code {"throughputPerSecond": 1000}}) and the rest
 * stays as it was; the merged value is validated whole before it replaces the old one.
 */
@ApplicationScoped
public class SettingsStore {

    private final AtomicReference<SimulationSettings> current;
    private final ObjectMapper strict;

    public SettingsStore(SimulatorConfig config, ObjectMapper mapper) {
        this.current = new AtomicReference<>(SimulationSettings.from(config));
        this.strict = mapper.copy().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }

    public SimulationSettings get() {
        return current.get();
    }

    /** Applies the patch, or throws {@link InvalidInputException} and changes nothing. */
    public synchronized SimulationSettings update(JsonNode patch) {
        if (patch == null || !patch.isObject()) {
            throw new InvalidInputException("invalid settings", List.of(FieldError.of("", "expected a JSON object")));
        }
        ObjectNode merged = strict.valueToTree(current.get());
        merge(merged, (ObjectNode) patch, "");
        SimulationSettings next;
        try {
            next = strict.treeToValue(merged, SimulationSettings.class);
        } catch (Exception e) {
            throw new InvalidInputException("invalid settings", List.of(FieldError.of("", "not valid settings: " + firstLine(e))));
        }
        List<FieldError> violations = next.violations();
        if (!violations.isEmpty()) {
            throw new InvalidInputException("invalid settings", violations);
        }
        current.set(next);
        return next;
    }

    private static void merge(ObjectNode target, ObjectNode patch, String path) {
        Iterator<Map.Entry<String, JsonNode>> fields = patch.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String name = path + field.getKey();
            JsonNode existing = target.get(field.getKey());
            if (existing == null) {
                throw new InvalidInputException("invalid settings", List.of(FieldError.of(name, "unknown setting")));
            }
            if (existing.isObject() && field.getValue().isObject()) {
                merge((ObjectNode) existing, (ObjectNode) field.getValue(), name + ".");
            } else {
                target.set(field.getKey(), field.getValue());
            }
        }
    }

    private static String firstLine(Exception e) {
        String message = String.valueOf(e.getMessage());
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
