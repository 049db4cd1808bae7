package io.wacast.simulator.signal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wacast.common.problem.Problem.FieldError;
import io.wacast.simulator.config.BusinessNumber;
import io.wacast.simulator.config.SimulatorConfig;
import io.wacast.simulator.service.InvalidInputException;
import io.wacast.simulator.template.Template;
import io.wacast.simulator.template.TemplateRegistry;
import io.wacast.simulator.webhook.WebhookDeliverer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Plays Meta's account-level webhooks: template status, quality and category, number quality and
 * throughput, the portfolio's messaging limit and account updates, signed like every other webhook,
 * at once or when a template's accepted messages reach a share of a campaign. A template status
 * change takes effect in the simulator's registry before its webhook leaves, as at Meta: from that
 * moment a paused template is refused (132015) whatever the webhook's fate.
 */
@ApplicationScoped
public class AccountSignalTrigger {

    private static final Logger LOG = Logger.getLogger(AccountSignalTrigger.class);
    static final Set<String> FIELDS = Set.of("message_template_status_update", "message_template_quality_update",
            "template_category_update", "phone_number_quality_update", "business_capability_update", "account_update");
    private static final Map<String, String> REGISTRY_STATUS = Map.of("APPROVED", Template.APPROVED,
            "REINSTATED", Template.APPROVED, "UNARCHIVED", Template.APPROVED, "PAUSED", Template.PAUSED,
            "DISABLED", Template.DISABLED, "REJECTED", "REJECTED", "PENDING", "PENDING");

    /** A signal waiting for its share of a campaign, or sent. */
    public static final class Armed {
        private final SignalSpec spec;
        private final long threshold;
        private final AtomicLong accepted = new AtomicLong();
        private final AtomicBoolean fired = new AtomicBoolean();
        private volatile Instant firedAt;

        Armed(SignalSpec spec, long threshold) {
            this.spec = spec;
            this.threshold = threshold;
        }

        public SignalSpec getSpec() {
            return spec;
        }

        public long getThreshold() {
            return threshold;
        }

        /** Messages of the template accepted since it was armed (counting stops when it fires). */
        public long getAccepted() {
            return accepted.get();
        }

        public boolean isFired() {
            return fired.get();
        }

        public Instant getFiredAt() {
            return firedAt;
        }
    }

    private final TemplateRegistry templates;
    private final WebhookDeliverer deliverer;
    private final ObjectMapper mapper;
    private final List<BusinessNumber> numbers;
    private final io.wacast.simulator.service.NumberCaps caps;
    private final List<Armed> armed = new CopyOnWriteArrayList<>();
    private final Map<String, String> qualities = new ConcurrentHashMap<>();

    public AccountSignalTrigger(TemplateRegistry templates, WebhookDeliverer deliverer, ObjectMapper mapper,
            SimulatorConfig config, io.wacast.simulator.service.NumberCaps caps) {
        this.caps = caps;
        this.templates = templates;
        this.deliverer = deliverer;
        this.mapper = mapper;
        this.numbers = config.numbers().stream().map(BusinessNumber::from).toList();
    }

    /** Validates every signal first (nothing is armed when one is wrong), then sends or arms each. */
    public void submit(JsonNode signals) {
        if (signals == null || !signals.isArray()) {
            throw new InvalidInputException("invalid signals", List.of(FieldError.of("signals", "expected an array")));
        }
        List<SignalSpec> specs = new ArrayList<>();
        List<FieldError> errors = new ArrayList<>();
        for (int i = 0; i < signals.size(); i++) {
            String at = "signals[" + i + "]";
            try {
                SignalSpec spec = mapper.treeToValue(signals.get(i), SignalSpec.class);
                validate(spec, at, errors);
                specs.add(spec);
            } catch (Exception e) {
                errors.add(FieldError.of(at, "not a signal: " + String.valueOf(e.getMessage()).lines().findFirst().orElse("")));
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException("invalid signals", errors);
        }
        for (SignalSpec spec : specs) {
            if (spec.atPercent() == null) {
                fire(spec);
            } else {
                armed.add(new Armed(spec, Math.max(1, (long) Math.ceil(spec.ofMessages() * spec.atPercent() / 100.0))));
            }
        }
    }

    /** Every signal armed since the start or the last reset, fired or not. */
    public List<Armed> armed() {
        return List.copyOf(armed);
    }

    public void reset() {
        armed.clear();
    }

    /** Counts an accepted message of {@code template}; fires the signals whose share it reaches. */
    public void accepted(Template template) {
        if (armed.isEmpty()) {
            return;
        }
        for (Armed signal : armed) {
            SignalSpec spec = signal.spec;
            if (!signal.fired.get() && spec.template().equals(template.name())
                    && language(spec).equals(template.language())
                    && signal.accepted.incrementAndGet() >= signal.threshold
                    && signal.fired.compareAndSet(false, true)) {
                signal.firedAt = Instant.now();
                LOG.infof("%s %s of %s after %d accepted messages", spec.field(), eventOf(spec), spec.template(),
                        signal.accepted.get());
                fire(spec);
            }
        }
    }

    private void fire(SignalSpec spec) {
        BusinessNumber number = number(spec);
        ObjectNode value = mapper.createObjectNode();
        switch (spec.field()) {
            case "message_template_status_update" -> {
                Template template = template(spec);
                String registryStatus = REGISTRY_STATUS.get(spec.event());
                if (registryStatus != null) {
                    templates.put(new Template(template.id(), template.name(), template.language(), registryStatus,
                            template.category(), template.components()));
                }
                value.put("event", spec.event());
                putTemplate(value, template);
                value.put("reason", spec.reason() == null ? "NONE" : spec.reason());
                value.put("message_template_category", template.category());
                if ("DISABLED".equals(spec.event())) {
                    value.putObject("disable_info").put("disable_date", Long.toString(Instant.now().getEpochSecond()));
                }
            }
            case "message_template_quality_update" -> {
                Template template = template(spec);
                String key = template.name() + "\u0000" + template.language();
                String previous = qualities.getOrDefault(key, "UNKNOWN");
                qualities.put(key, spec.quality());
                value.put("previous_quality_score", previous);
                value.put("new_quality_score", spec.quality());
                putTemplate(value, template);
            }
            case "template_category_update" -> {
                Template template = template(spec);
                putTemplate(value, template);
                if (Boolean.TRUE.equals(spec.impending())) {
                    value.put("correct_category", spec.category());
                    value.put("new_category", template.category());
                    value.put("category_update_timestamp", Instant.now().plusSeconds(86_400).getEpochSecond());
                } else {
                    templates.put(new Template(template.id(), template.name(), template.language(), template.status(),
                            spec.category(), template.components()));
                    value.put("previous_category", template.category());
                    value.put("new_category", spec.category());
                }
            }
            case "phone_number_quality_update" -> {
                if ("THROUGHPUT_UPGRADE".equals(spec.event())) {
                    caps.upgrade(number); // Meta upgrades the number first, then tells
                }
                value.put("display_phone_number", number.displayDigits());
                value.put("event", spec.event());
                if (spec.currentLimit() != null) {
                    value.put("current_limit", spec.currentLimit());
                }
                if (spec.messagingLimitTier() != null) {
                    value.put("max_daily_conversations_per_business", spec.messagingLimitTier());
                }
            }
            case "business_capability_update" -> {
                value.put("max_daily_conversation_per_phone", spec.messagingLimit());
                value.put("max_daily_conversations_per_business", spec.messagingLimit());
                value.put("max_phone_numbers_per_business", 2);
                value.put("max_phone_numbers_per_waba", 25);
            }
            case "account_update" -> {
                value.put("event", spec.event());
                if (spec.restrictions() != null) {
                    ArrayNode info = value.putArray("restriction_info");
                    String expiration = Instant.now().plusSeconds(7 * 86_400).toString().replaceFirst("\\.\\d+Z$", "Z");
                    spec.restrictions().forEach(type -> info.addObject().put("restriction_type", type).put("expiration", expiration));
                }
                if (spec.banState() != null) {
                    value.putObject("ban_info").put("waba_ban_state", spec.banState())
                            .put("waba_ban_date", Instant.now().toString().substring(0, 10));
                }
            }
            default -> throw new IllegalStateException("unvalidated field " + spec.field());
        }
        deliverer.scheduleChange(number.wabaId(), spec.field(), value);
    }

    private static void putTemplate(ObjectNode value, Template template) {
        value.put("message_template_id", Long.parseLong(template.id()));
        value.put("message_template_name", template.name());
        value.put("message_template_language", template.language());
    }

    private void validate(SignalSpec spec, String at, List<FieldError> errors) {
        if (spec.field() == null || !FIELDS.contains(spec.field())) {
            errors.add(FieldError.of(at + ".field", "one of " + FIELDS));
            return;
        }
        boolean aboutTemplate = spec.field().startsWith("message_template") || spec.field().equals("template_category_update");
        if ((aboutTemplate || spec.atPercent() != null)
                && (spec.template() == null || templates.find(spec.template(), language(spec)).isEmpty())) {
            errors.add(FieldError.of(at + ".template", "a template of the simulator (name and language)"));
        }
        if (spec.atPercent() != null && (spec.atPercent() < 1 || spec.atPercent() > 100
                || spec.ofMessages() == null || spec.ofMessages() < 1)) {
            errors.add(FieldError.of(at + ".atPercent", "1..100, with ofMessages ≥ 1 (the campaign's size)"));
        }
        if (spec.phoneNumberId() != null && numbers.stream().noneMatch(n -> n.phoneNumberId().equals(spec.phoneNumberId()))) {
            errors.add(FieldError.of(at + ".phoneNumberId", "a number of the simulator"));
        }
        switch (spec.field()) {
            case "message_template_status_update", "phone_number_quality_update", "account_update" -> {
                if (spec.event() == null || spec.event().isBlank()) {
                    errors.add(FieldError.of(at + ".event", "is required (Meta's event, e.g. PAUSED, FLAGGED)"));
                }
            }
            case "message_template_quality_update" -> {
                if (spec.quality() == null) {
                    errors.add(FieldError.of(at + ".quality", "GREEN, YELLOW, RED or UNKNOWN"));
                }
            }
            case "template_category_update" -> {
                if (spec.category() == null) {
                    errors.add(FieldError.of(at + ".category", "MARKETING, UTILITY or AUTHENTICATION"));
                }
            }
            case "business_capability_update" -> {
                if (spec.messagingLimit() == null) {
                    errors.add(FieldError.of(at + ".messagingLimit", "250, 2000, 10000, 100000 or -1 (unlimited)"));
                }
            }
            default -> {
            }
        }
    }

    private Template template(SignalSpec spec) {
        return templates.find(spec.template(), language(spec))
                .orElseThrow(() -> new IllegalStateException("template " + spec.template() + " is gone"));
    }

    private BusinessNumber number(SignalSpec spec) {
        return Optional.ofNullable(spec.phoneNumberId())
                .flatMap(id -> numbers.stream().filter(n -> n.phoneNumberId().equals(id)).findFirst())
                .orElse(numbers.get(0));
    }

    private static String language(SignalSpec spec) {
        return spec.language() == null ? "en_US" : spec.language();
    }

    private static String eventOf(SignalSpec spec) {
        return spec.event() != null ? spec.event() : spec.quality() != null ? spec.quality() : spec.category();
    }
}
