package io.wacast.simulator.service;

import io.wacast.common.problem.Problem.FieldError;
import io.wacast.simulator.stats.CampaignStats;
import io.wacast.simulator.stats.SimulatorStats;
import io.wacast.simulator.stats.SimulatorStatsView;
import io.wacast.simulator.template.Template;
import io.wacast.simulator.template.TemplateRegistry;
import io.wacast.simulator.trace.CallTrace;
import io.wacast.simulator.webhook.WebhookDeliverer;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** What tests and benchmarks drive through {@code /sim}: the truth, a reset, runtime templates. */
@ApplicationScoped
public class SimulatorControl {

    private static final Set<String> STATUSES = Set.of("APPROVED", "PAUSED", "DISABLED", "PENDING", "REJECTED");
    private static final Set<String> CATEGORIES = Set.of("MARKETING", "UTILITY", "AUTHENTICATION");
    private static final Set<String> COMPONENTS = Set.of("HEADER", "BODY", "FOOTER", "BUTTONS");
    private static final Set<String> HEADER_FORMATS = Set.of("TEXT", "IMAGE", "VIDEO", "DOCUMENT", "LOCATION");
    private static final Set<String> BUTTONS = Set.of("QUICK_REPLY", "URL", "PHONE_NUMBER", "COPY_CODE");

    private final SimulatorStats stats;
    private final MessageService messages;
    private final WebhookDeliverer deliverer;
    private final TemplateRegistry templates;

    private final io.wacast.simulator.signal.AccountSignalTrigger signals;
    private final io.wacast.simulator.stats.EndpointCalls endpointCalls;
    private final CallTrace trace;

    public SimulatorControl(SimulatorStats stats, MessageService messages, WebhookDeliverer deliverer,
            TemplateRegistry templates, io.wacast.simulator.signal.AccountSignalTrigger signals,
            io.wacast.simulator.stats.EndpointCalls endpointCalls, CallTrace trace) {
        this.trace = trace;
        this.endpointCalls = endpointCalls;
        this.signals = signals;
        this.stats = stats;
        this.messages = messages;
        this.deliverer = deliverer;
        this.templates = templates;
    }

    public SimulatorStatsView stats() {
        return stats.view(messages.numberStats(), deliverer.pending());
    }

    /** Calls per send endpoint, in all and per campaign (only {@code campaignId}'s when given). */
    public io.wacast.simulator.stats.EndpointCalls.View endpoints(Long campaignId) {
        return endpointCalls.view(campaignId);
    }

    public CampaignStats campaign(long campaignId) {
        return stats.campaign(campaignId);
    }

    /**
     * Forgets all counters, throughput windows, rate-limit state, queued webhooks, armed signals and the call trace;
     * keeps settings and templates.
     */
    public void reset() {
        stats.reset();
        endpointCalls.reset();
        deliverer.reset();
        messages.reset();
        signals.reset();
        trace.clear();
    }

    /** Adds the template, or replaces the one of the same name and language (to pause it, say). */
    public Template putTemplate(Template template) {
        List<FieldError> errors = new ArrayList<>();
        if (template.name() == null || !template.name().matches("[a-z0-9_]{1,512}")) {
            errors.add(FieldError.of("name", "lowercase letters, digits and underscores only"));
        }
        if (template.language() == null || template.language().isBlank()) {
            errors.add(FieldError.of("language", "is required, e.g. en_US"));
        }
        if (template.status() == null || !STATUSES.contains(template.status())) {
            errors.add(FieldError.of("status", "one of " + STATUSES));
        }
        if (template.category() == null || !CATEGORIES.contains(template.category())) {
            errors.add(FieldError.of("category", "one of " + CATEGORIES));
        }
        checkComponents(template, errors);
        if (!errors.isEmpty()) {
            throw new InvalidInputException("invalid template", errors);
        }
        return templates.put(template);
    }

    private static void checkComponents(Template template, List<FieldError> errors) {
        if (template.component("BODY").map(Template.Component::text).filter(t -> !t.isBlank()).isEmpty()) {
            errors.add(FieldError.of("components", "needs a BODY component with text"));
        }
        for (int i = 0; i < template.components().size(); i++) {
            Template.Component component = template.components().get(i);
            String at = "components[" + i + "]";
            if (component.type() == null || !COMPONENTS.contains(component.type())) {
                errors.add(FieldError.of(at + ".type", "one of " + COMPONENTS));
            } else if ("HEADER".equals(component.type()) && component.format() != null
                    && !HEADER_FORMATS.contains(component.format())) {
                errors.add(FieldError.of(at + ".format", "one of " + HEADER_FORMATS));
            } else if ("BUTTONS".equals(component.type())) {
                List<Template.Button> buttons = component.buttons() == null ? List.of() : component.buttons();
                if (buttons.isEmpty()) {
                    errors.add(FieldError.of(at + ".buttons", "needs at least one button"));
                }
                for (int b = 0; b < buttons.size(); b++) {
                    if (buttons.get(b).type() == null || !BUTTONS.contains(buttons.get(b).type())) {
                        errors.add(FieldError.of(at + ".buttons[" + b + "].type", "one of " + BUTTONS));
                    }
                }
            }
        }
    }
}
