package io.wacast.simulator.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.scheduler.Scheduled;
import io.wacast.common.event.JobId;
import io.wacast.common.phone.PhoneNumbers;
import io.wacast.simulator.config.BusinessNumber;
import io.wacast.simulator.config.SettingsStore;
import io.wacast.simulator.config.SimulationSettings;
import io.wacast.simulator.config.SimulatorConfig;
import io.wacast.simulator.stats.SimulatorStats;
import io.wacast.simulator.stats.SimulatorStatsView.NumberView;
import io.wacast.simulator.signal.AccountSignalTrigger;
import io.wacast.simulator.template.Template;
import io.wacast.simulator.webhook.AcceptedMessage;
import io.wacast.simulator.webhook.Wamids;
import io.wacast.simulator.webhook.WebhookPlanner;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * {@code POST /{version}/{phone-number-id}/messages} as Meta runs it: token, number, throughput cap,
 * request and template validation, injected faults, pair rate limit; then acceptance, the truth
 * counters and the planned webhooks. Nothing here blocks: latency is applied by the caller.
 */
@ApplicationScoped
public class MessageService {

    private static final Logger LOG = Logger.getLogger(MessageService.class);
    private static final int MAX_CALLBACK_DATA = 512;
    private static final Set<String> FREE_FORM_TYPES = Set.of(
            "text", "interactive", "image", "video", "document", "audio", "location", "contacts", "reaction", "sticker");

    private final byte[] accessToken;
    private final Map<String, BusinessNumber> numbers;
    private final Map<String, ThroughputWindow> windows = new ConcurrentHashMap<>();
    private final PairRateLimiter pairRate = new PairRateLimiter();
    private final Set<String> failedFirstAttempts = ConcurrentHashMap.newKeySet();
    private final SettingsStore settings;
    private final TemplateValidator templates;
    private final WebhookPlanner planner;
    private final SimulatorStats stats;
    private final ObjectMapper mapper;
    private final AccountSignalTrigger signals;
    private final io.wacast.simulator.stats.EndpointCalls endpointCalls;
    private final NumberCaps caps;

    public MessageService(SimulatorConfig config, SettingsStore settings, TemplateValidator templates,
            WebhookPlanner planner, SimulatorStats stats, ObjectMapper mapper, AccountSignalTrigger signals,
            io.wacast.simulator.stats.EndpointCalls endpointCalls, NumberCaps caps) {
        this.caps = caps;
        this.signals = signals;
        this.endpointCalls = endpointCalls;
        this.accessToken = config.accessToken().getBytes(StandardCharsets.UTF_8);
        this.numbers = config.numbers().stream().map(BusinessNumber::from)
                .collect(Collectors.toMap(BusinessNumber::phoneNumberId, Function.identity(), (a, b) -> a,
                        LinkedHashMap::new));
        this.numbers.keySet().forEach(id -> windows.put(id, new ThroughputWindow()));
        this.settings = settings;
        this.templates = templates;
        this.planner = planner;
        this.stats = stats;
        this.mapper = mapper;
    }

    /**
     * {@code POST /{version}/{phone-number-id}/{endpoint}}: {@code /messages} takes every message;
     * {@code /marketing_messages} only marketing templates, once the terms are accepted.
     */
    public SendAnswer send(GraphEndpoint endpoint, String phoneNumberId, String authorization, byte[] body) {
        long arrivedAt = System.nanoTime();
        SimulationSettings s = settings.get();
        JsonNode request = null;
        Long campaignId = null;
        try {
            BusinessNumber known = numbers.get(phoneNumberId);
            authorize(authorization, known == null ? null : known.accessToken());
            BusinessNumber number = number(phoneNumberId);
            request = parse(body);
            campaignId = request == null ? null : campaignOf(request);
            int cap = caps.capOf(number, s.throughputPerSecond());
            if (!windows.get(phoneNumberId).tryAdmit(arrivedAt, cap)) {
                throw new GraphException(GraphError.throughputExceeded());
            }
            if (request == null) {
                throw new GraphException(GraphError.invalidParameter("the request body is not a JSON object"));
            }
            if (endpoint == GraphEndpoint.MARKETING_MESSAGES && !s.marketingMessages().termsAccepted()) {
                throw new GraphException(MarketingMessagesErrors.termsNotAccepted());
            }
            SendAnswer answer = accept(endpoint, number, request, campaignId, arrivedAt, s);
            endpointCalls.called(endpoint, campaignId, true);
            return answer;
        } catch (GraphException e) {
            stats.rejected(campaignId, e.error().code());
            endpointCalls.called(endpoint, campaignId, false);
            return new SendAnswer.Rejected(e.error(), latency(s.latency()));
        }
    }

    /** Whether {@code authorization} carries the account's bearer token (constant-time comparison). */
    public void authorize(String authorization) {
        authorize(authorization, null);
    }

    /**
     * Whether {@code authorization} carries {@code numberToken}, or the account's token when the number
     * has none of its own; a wrong token is Meta's 190 (constant-time comparison).
     */
    public void authorize(String authorization, String numberToken) {
        String prefix = "Bearer ";
        byte[] expected = numberToken == null ? accessToken : numberToken.getBytes(StandardCharsets.UTF_8);
        boolean valid = authorization != null
                && authorization.regionMatches(true, 0, prefix, 0, prefix.length())
                && MessageDigest.isEqual(expected,
                        authorization.substring(prefix.length()).trim().getBytes(StandardCharsets.UTF_8));
        if (!valid) {
            throw new GraphException(GraphError.invalidToken());
        }
    }

    public BusinessNumber number(String phoneNumberId) {
        BusinessNumber number = numbers.get(phoneNumberId);
        if (number == null) {
            throw new GraphException(GraphError.unknownObject(phoneNumberId));
        }
        return number;
    }

    public Optional<BusinessNumber> numberOfWaba(String wabaId) {
        return numbers.values().stream().filter(n -> n.wabaId().equals(wabaId)).findFirst();
    }

    public List<NumberView> numberStats() {
        return windows.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> e.getValue().stats(e.getKey())).toList();
    }

    /** Clears throughput windows, pair-rate buckets and first-attempt memory with the counters. */
    public void reset() {
        numbers.keySet().forEach(id -> windows.put(id, new ThroughputWindow()));
        caps.reset();
        pairRate.clear();
        failedFirstAttempts.clear();
        planner.reset();
    }

    @Scheduled(every = "30s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void evictIdleState() {
        SimulationSettings.PairRate rate = settings.get().pairRate();
        pairRate.evictRefilled(System.nanoTime(), rate.burst(), TimeUnit.SECONDS.toNanos(rate.refillSeconds()));
        planner.evictClosedWindows();
    }

    /**
     * The template's quick-reply buttons, each with the payload the send gave it: a {@code button}
     * component of {@code sub_type quick_reply} at the button's {@code index} with a {@code payload}
     * parameter (the validator has checked index and sub_type).
     */
    private static List<AcceptedMessage.QuickReply> quickReplies(Template template, JsonNode sent) {
        Map<Integer, String> payloads = new HashMap<>();
        for (JsonNode component : sent.path("components")) {
            if ("button".equalsIgnoreCase(component.path("type").asText())
                    && "quick_reply".equalsIgnoreCase(component.path("sub_type").asText())) {
                String payload = component.path("parameters").path(0).path("payload").asText(null);
                if (payload != null && !payload.isBlank()) {
                    payloads.put(component.path("index").asInt(-1), payload);
                }
            }
        }
        List<Template.Button> buttons = template.buttons();
        List<AcceptedMessage.QuickReply> quickReplies = new ArrayList<>();
        for (int i = 0; i < buttons.size(); i++) {
            if ("QUICK_REPLY".equals(buttons.get(i).type())) {
                quickReplies.add(new AcceptedMessage.QuickReply(buttons.get(i).text(), payloads.get(i)));
            }
        }
        return List.copyOf(quickReplies);
    }

    private SendAnswer accept(GraphEndpoint endpoint, BusinessNumber number, JsonNode request, Long campaignId,
            long arrivedAt, SimulationSettings s) {
        if (!"whatsapp".equals(TemplateValidator.text(request, "messaging_product"))) {
            throw new GraphException(GraphError.invalidParameter("messaging_product must be 'whatsapp'"));
        }
        String to = TemplateValidator.text(request, "to");
        String recipient = waId(to);
        String callbackData = TemplateValidator.text(request, "biz_opaque_callback_data");
        if (callbackData != null && callbackData.length() > MAX_CALLBACK_DATA) {
            throw new GraphException(GraphError.invalidParameter(
                    "biz_opaque_callback_data must be at most " + MAX_CALLBACK_DATA + " characters"));
        }
        String type = Optional.ofNullable(TemplateValidator.text(request, "type")).orElse("text").toLowerCase(Locale.ROOT);
        if (endpoint == GraphEndpoint.MARKETING_MESSAGES && !"template".equals(type)) {
            throw new GraphException(MarketingMessagesErrors.notATemplate());
        }
        String category;
        List<AcceptedMessage.QuickReply> quickReplies;
        Template sentTemplate = null;
        if ("template".equals(type)) {
            JsonNode template = request.path("template");
            if (!template.isObject()) {
                throw new GraphException(GraphError.requiredParameterMissing("template is required for type template"));
            }
            Template found = templates.validate(template);
            sentTemplate = found;
            category = found.category() == null ? "marketing" : found.category().toLowerCase(Locale.ROOT);
            if (endpoint == GraphEndpoint.MARKETING_MESSAGES && !"marketing".equals(category)) {
                throw new GraphException(MarketingMessagesErrors.notMarketing());
            }
            quickReplies = quickReplies(found, template);
        } else if (FREE_FORM_TYPES.contains(type)) {
            if (!planner.customerServiceWindowOpen(Long.parseLong(recipient))) {
                throw new GraphException(GraphError.reEngagement());
            }
            category = "service";
            quickReplies = List.of();
        } else {
            throw new GraphException(GraphError.invalidParameter("unsupported message type '" + type + "'"));
        }

        Integer failureCode = null;
        long latency = latency(s.latency());
        Optional<ErrorInjection.Fault> fault = s.injection().enabled()
                ? ErrorInjection.forRecipient(recipient)
                : Optional.empty();
        if (fault.isPresent()) {
            ErrorInjection.Fault f = fault.get();
            if (f instanceof ErrorInjection.Fault.ApiError apiError) {
                throw new GraphException(GraphError.of(apiError.code()));
            } else if (f instanceof ErrorInjection.Fault.FailedWebhook failed) {
                failureCode = failed.code();
            } else if (f instanceof ErrorInjection.Fault.SlowAnswer) {
                latency = s.injection().slowResponseMs();
            } else if (f instanceof ErrorInjection.Fault.FirstAttemptFails
                    && failedFirstAttempts.add(callbackData != null ? callbackData : recipient)) {
                throw new GraphException(GraphError.of(131000));
            }
        }
        if (!pairRate.tryTake(Long.parseLong(recipient), arrivedAt, s.pairRate().burst(),
                TimeUnit.SECONDS.toNanos(s.pairRate().refillSeconds()))) {
            throw new GraphException(GraphError.pairRateLimit());
        }

        String wamid = Wamids.next(recipient);
        stats.accepted(campaignId, Long.parseLong(recipient));
        if (sentTemplate != null) {
            signals.accepted(sentTemplate);
        }
        planner.plan(new AcceptedMessage(number, wamid, recipient, callbackData, campaignId, category, quickReplies,
                failureCode));
        if (LOG.isDebugEnabled()) {
            LOG.debugf("accepted %s for %s (campaign %s)", wamid, PhoneNumbers.mask("+" + recipient), campaignId);
        }
        return new SendAnswer.Accepted(SendResponse.accepted(to, recipient, wamid), latency);
    }

    private JsonNode parse(byte[] body) {
        try {
            JsonNode node = body == null || body.length == 0 ? null : mapper.readTree(body);
            return node != null && node.isObject() ? node : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static Long campaignOf(JsonNode request) {
        return JobId.parse(TemplateValidator.text(request, "biz_opaque_callback_data"))
                .map(JobId::campaignId)
                .orElse(null);
    }

    /** Meta takes the number with or without '+' and common separators; wa_id is its digits. */
    private static String waId(String to) {
        if (to == null || to.isBlank()) {
            throw new GraphException(GraphError.requiredParameterMissing("to is required"));
        }
        String digits = digits(to.strip());
        if (digits == null) {
            throw new GraphException(GraphError.invalidParameter(
                    "to: " + PhoneNumbers.mask(to) + " is not a valid WhatsApp phone number"));
        }
        return digits;
    }

    /**
     * The number without one leading '+' and without spaces, dashes, parentheses and dots; null unless
     * what remains is 8 to 15 ASCII digits not starting with 0. A loop, not regexes: it runs on every call.
     */
    static String digits(String number) {
        StringBuilder digits = new StringBuilder(number.length());
        for (int i = number.startsWith("+") ? 1 : 0; i < number.length(); i++) {
            char c = number.charAt(i);
            if (c >= '0' && c <= '9') {
                digits.append(c);
            } else if (!(c == ' ' || c == '\t' || c == '\n' || c == '\u000B' || c == '\f' || c == '\r' || c == '-'
                    || c == '(' || c == ')' || c == '.')) {
                return null;
            }
        }
        return digits.length() >= 8 && digits.length() <= 15 && digits.charAt(0) != '0' ? digits.toString() : null;
    }

    /** Log-normal with the configured median and 99th percentile (z = 2.326 at p99). */
    static long latency(SimulationSettings.Latency latency) {
        if (latency.medianMs() <= 0) {
            return 0;
        }
        double sigma = latency.p99Ms() > latency.medianMs()
                ? Math.log((double) latency.p99Ms() / latency.medianMs()) / 2.326
                : 0;
        double sample = latency.medianMs() * Math.exp(sigma * ThreadLocalRandom.current().nextGaussian());
        return Math.min(Math.round(sample), 10L * Math.max(latency.p99Ms(), 1));
    }
}
