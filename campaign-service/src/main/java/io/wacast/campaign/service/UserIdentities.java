package io.wacast.campaign.service;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.wacast.campaign.domain.OptOut;
import io.wacast.campaign.repository.SuppressionRepository;
import io.wacast.campaign.repository.UserIdRepository;
import io.wacast.campaign.repository.UserIdRepository.Mapping;
import io.wacast.campaign.repository.UserIdRepository.Suppressed;
import io.wacast.common.user.Bsuid;

/**
 * Business-scoped user ids in the applier's batch (docs/DESIGN.md §4, "Business-scoped user ids"):
 * learns which number each BSUID belongs to (statuses and messages that carry both, user_id_update),
 * puts a BSUID that opted out on the suppression list together with its number — also when the number
 * becomes known only later —, and hands the applier each event of a user known only by BSUID as the
 * event of the number it maps to, so opt-outs, opt-ins, replies and orders work as for a number. Reads
 * at the start of the applier's transaction and writes at its end, so it is exactly once with the batch.
 */
@ApplicationScoped
public class UserIdentities {

    private static final Logger LOG = Logger.getLogger(UserIdentities.class);
    private static final Set<String> LIFTED_BY_OPT_IN = Set.of(OptOut.SOURCE_REPLY, OptOut.SOURCE_PREFERENCE,
            OptOut.SOURCE_META);

    private final UserIdRepository repository;
    private final SuppressionRepository suppression;
    private final Counter learned;
    private final Counter unmapped;

    UserIdentities(UserIdRepository repository, SuppressionRepository suppression, MeterRegistry registry) {
        this.repository = repository;
        this.suppression = suppression;
        this.learned = Counter.builder("wacast.applier.user.ids").description("BSUID events the applier handled")
                .tag("result", "mapped").register(registry);
        this.unmapped = Counter.builder("wacast.applier.user.ids").description("BSUID events the applier handled")
                .tag("result", "unmapped").register(registry);
    }

    /**
     * The batch as the applier applies it, and what the batch says about BSUIDs, to be written once the
     * applier has written its recipient rows ({@link #write}: the applier's lock order, recipients first).
     */
    public final class Resolution {

        private final List<Evidence> evidence;
        private final Map<String, Mapping> learned;
        private final Map<String, String> replaced;
        private final java.util.Collection<Suppressed> bsuidEntries;
        private final Set<String> lifted;
        private final java.util.Collection<SuppressionRepository.Entry> numbers;
        private final java.util.Collection<Suppressed> hashes;

        Resolution(List<Evidence> evidence, Map<String, Mapping> learned, Map<String, String> replaced,
                java.util.Collection<Suppressed> bsuidEntries, Set<String> lifted,
                java.util.Collection<SuppressionRepository.Entry> numbers, java.util.Collection<Suppressed> hashes) {
            this.evidence = evidence;
            this.learned = learned;
            this.replaced = replaced;
            this.bsuidEntries = bsuidEntries;
            this.lifted = lifted;
            this.numbers = numbers;
            this.hashes = hashes;
        }

        /** Every event of a BSUID-only user turned into one of the number it maps to, where known. */
        public List<Evidence> evidence() {
            return evidence;
        }

        /** Writes the mappings, BSUID changes and suppressions, in the applier's transaction. */
        public void write(Instant now) {
            replaced.forEach((previous, current) -> repository.replace(previous, current, now));
            repository.learn(learned, now);
            repository.suppress(bsuidEntries, now);
            repository.lift(lifted, LIFTED_BY_OPT_IN);
            suppression.suppress(numbers, now);
            repository.suppressHashes(hashes, now);
        }
    }

    /**
     * Reads what the batch says about BSUIDs and returns the batch with every event of a user known only
     * by BSUID turned into one of the number it maps to, where known; nothing is written until
     * {@link Resolution#write}. An answer (reply, order) that names no number and quotes none of our
     * messages cannot be credited and loses its engagement.
     */
    public Resolution resolve(List<Evidence> fresh) {
        Set<String> bsuids = new HashSet<>();
        for (Evidence e : fresh) {
            if (e.user() != null && e.user().bsuid() != null) {
                bsuids.add(e.user().bsuid());
                if (e.user().previousBsuid() != null) {
                    bsuids.add(e.user().previousBsuid());
                }
            }
        }
        if (bsuids.isEmpty()) {
            return new Resolution(fresh, Map.of(), Map.of(), List.of(), Set.of(), List.of(), List.of());
        }
        Map<String, String> replaced = new LinkedHashMap<>();
        Map<String, Mapping> known = repository.mappings(bsuids);
        Map<String, Mapping> learnedHere = new LinkedHashMap<>();
        Map<String, Suppressed> suppressedBsuids = new HashMap<>(repository.suppressed(bsuids));
        Map<String, Suppressed> newBsuidEntries = new LinkedHashMap<>();
        Set<String> liftedBsuids = new HashSet<>();
        Map<String, SuppressionRepository.Entry> numbers = new LinkedHashMap<>();
        Map<String, Suppressed> hashes = new LinkedHashMap<>();
        List<Evidence> resolved = new ArrayList<>(fresh.size());
        for (Evidence e : fresh) {
            UserFacts user = e.user();
            if (user == null || user.bsuid() == null) {
                resolved.add(e);
                continue;
            }
            String bsuid = user.bsuid();
            if (user.previousBsuid() != null) {
                Mapping before = known.get(user.previousBsuid());
                Mapping after = user.phone() != null ? Mapping.of(user.phone()) : before;
                replaced.put(user.previousBsuid(), bsuid);
                if (after != null) {
                    known.put(bsuid, after);
                    learnedHere.put(bsuid, after);
                }
                Suppressed stopped = suppressedBsuids.get(user.previousBsuid());
                if (stopped != null && !suppressedBsuids.containsKey(bsuid)) {
                    Suppressed carried = new Suppressed(bsuid, stopped.source(), stopped.reason());
                    suppressedBsuids.put(bsuid, carried);
                    newBsuidEntries.put(bsuid, carried);
                }
                LOG.debugf("BSUID %s replaced by %s", Bsuid.mask(user.previousBsuid()), Bsuid.mask(bsuid));
            } else if (user.phone() != null) {
                Mapping mapping = Mapping.of(user.phone());
                if (!mapping.equals(known.get(bsuid))) {
                    learnedHere.put(bsuid, mapping);
                }
                known.put(bsuid, mapping);
            }
            Mapping mapping = known.get(bsuid);
            switch (e.effect()) {
                case OPT_OUT -> {
                    Suppressed entry = new Suppressed(bsuid, e.phoneSource(),
                            OptOut.SOURCE_PREFERENCE.equals(e.phoneSource()) ? "stopped marketing messages in WhatsApp"
                                    : "opt-out reply");
                    liftedBsuids.remove(bsuid);
                    suppressedBsuids.put(bsuid, entry);
                    newBsuidEntries.put(bsuid, entry);
                }
                case OPT_IN -> {
                    newBsuidEntries.remove(bsuid);
                    Suppressed before = suppressedBsuids.remove(bsuid);
                    if (before != null) {
                        liftedBsuids.add(bsuid);
                    }
                }
                default -> {
                }
            }
            Evidence out = e;
            if (e.phone() == null && needsNumber(e)) {
                if (mapping != null && mapping.phone() != null) {
                    out = e.withPhone(mapping.phone());
                    learned.increment();
                } else {
                    unmapped.increment();
                    if (mapping != null && e.effect() == Evidence.Effect.OPT_OUT) {
                        hashes.put(mapping.hash(), new Suppressed(mapping.hash(), e.phoneSource(), null));
                    }
                    if (e.engagement() != null && e.engagement().contextWamid() == null) {
                        out = e.withoutEngagement();
                    }
                }
            }
            resolved.add(out);
        }
        // a BSUID that opted out (before or in this batch) suppresses the number it maps to now
        for (Map.Entry<String, Mapping> mapping : learnedHere.entrySet()) {
            Suppressed stopped = suppressedBsuids.get(mapping.getKey());
            if (stopped == null || liftedBsuids.contains(mapping.getKey())) {
                continue;
            }
            if (mapping.getValue().phone() != null) {
                numbers.put(mapping.getValue().phone(), new SuppressionRepository.Entry(mapping.getValue().phone(),
                        stopped.source(), "opted out as " + Bsuid.mask(mapping.getKey())));
            } else {
                hashes.put(mapping.getValue().hash(), new Suppressed(mapping.getValue().hash(), stopped.source(), null));
            }
        }
        return new Resolution(resolved, learnedHere, replaced, newBsuidEntries.values(), liftedBsuids, numbers.values(),
                hashes.values());
    }

    private static boolean needsNumber(Evidence e) {
        return e.effect() == Evidence.Effect.OPT_OUT || e.effect() == Evidence.Effect.OPT_IN || e.engagement() != null;
    }
}
