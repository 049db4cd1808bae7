package io.wacast.simulator.template;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.wacast.simulator.config.SimulatorConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The simulated account's templates, seeded from a JSON resource in Meta's own listing shape and
 * changeable at runtime ({@code POST /sim/templates}), so tests can pause a template mid-campaign.
 * Keyed like Meta: a name exists once per language.
 */
@ApplicationScoped
public class TemplateRegistry {

    private static final long FIRST_ID = 900000000000001L;

    private final Map<String, Template> templates = new ConcurrentHashMap<>();
    private final AtomicLong nextId = new AtomicLong(FIRST_ID);

    public TemplateRegistry(SimulatorConfig config, ObjectMapper mapper) {
        for (Template template : seed(config.templatesResource(), mapper)) {
            put(template);
        }
    }

    public Optional<Template> find(String name, String language) {
        return Optional.ofNullable(templates.get(key(name, language)));
    }

    public boolean hasName(String name) {
        return templates.values().stream().anyMatch(t -> t.name().equals(name));
    }

    /** Adds or replaces the template of that name and language, keeping the id of the one it replaces. */
    public Template put(Template template) {
        return templates.compute(key(template.name(), template.language()), (key, existing) -> template.withId(
                existing != null ? existing.id() : String.valueOf(nextId.getAndIncrement())));
    }

    /** In creation order, as Meta pages them. */
    public List<Template> all() {
        return templates.values().stream().sorted(Comparator.comparing(t -> Long.parseLong(t.id()))).toList();
    }

    private static String key(String name, String language) {
        return name + "\u0000" + language;
    }

    private record Listing(List<Template> data) {
    }

    private static List<Template> seed(String resource, ObjectMapper mapper) {
        try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("template seed resource not found: " + resource);
            }
            return mapper.readValue(in, Listing.class).data();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read template seed " + resource, e);
        }
    }
}
