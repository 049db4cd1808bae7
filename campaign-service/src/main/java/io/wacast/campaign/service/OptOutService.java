package io.wacast.campaign.service;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import io.quarkus.hibernate.orm.panache.PanacheQuery;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import io.wacast.campaign.config.CampaignConfig;
import io.wacast.campaign.domain.OptOut;
import io.wacast.campaign.domain.PhoneHash;
import io.wacast.common.phone.PhoneNumberResult;
import io.wacast.common.phone.PhoneNumbers;
import io.wacast.common.user.Bsuid;

/**
 * The suppression list. Fed by operators, by Meta's 131050 and by STOP replies (from a number or a
 * BSUID); recipients on it are stored opted_out and the dispatcher never sends to them.
 */
@ApplicationScoped
public class OptOutService {

    private static final Logger LOG = Logger.getLogger(OptOutService.class);

    public record OptOutPage(List<OptOut> items, int page, int size, long total) {
    }

    /** @param created false when the number was already suppressed (the existing entry is returned) */
    public record Added(OptOut optOut, boolean created) {
    }

    private final CampaignConfig config;
    @jakarta.inject.Inject
    io.wacast.campaign.repository.ConsentHistoryRepository history;

    OptOutService(CampaignConfig config) {
        this.config = config;
    }

    /** Which entries {@link #list} shows: those naming a number, those naming a BSUID, or both. */
    public enum Kind {
        PHONE, BSUID
    }

    private static final Set<String> SOURCES = Set.of(OptOut.SOURCE_OPERATOR, OptOut.SOURCE_META, OptOut.SOURCE_REPLY,
            OptOut.SOURCE_PREFERENCE);

    /**
     * Entries naming a number or a BSUID, newest first, optionally of one kind, one source or one BSUID.
     * An erased contact's opt-out has no number left to show; it still suppresses (by hash).
     */
    @Transactional
    public OptOutPage list(int page, int size, Kind kind, String source, String bsuid) {
        List<String> where = new ArrayList<>();
        Parameters params = new Parameters();
        where.add(kind == null ? "(phone is not null or bsuid is not null)"
                : kind == Kind.PHONE ? "phone is not null" : "bsuid is not null");
        if (source != null && !source.isBlank()) {
            if (!SOURCES.contains(source)) {
                throw ProblemException.invalidField("source", "must be one of " + String.join(", ", new TreeSet<>(SOURCES)));
            }
            where.add("source = :source");
            params.and("source", source);
        }
        if (bsuid != null && !bsuid.isBlank()) {
            where.add("bsuid = :bsuid");
            params.and("bsuid", requireBsuid(bsuid, "bsuid"));
        }
        PanacheQuery<OptOut> all = OptOut.find(String.join(" and ", where), Sort.descending("createdAt", "id"), params);
        return new OptOutPage(all.page(Page.of(page, size)).list(), page, size, all.count());
    }

    @Transactional
    public Added add(String phone, String source, String reason) {
        String e164 = normalise(phone);
        OptOut existing = OptOut.find("phoneHash", PhoneHash.of(e164)).firstResult();
        if (existing != null) {
            return new Added(existing, false);
        }
        OptOut optOut = new OptOut();
        optOut.phone = e164;
        optOut.phoneHash = PhoneHash.of(e164);
        optOut.source = source;
        optOut.reason = reason;
        optOut.createdAt = Instant.now();
        optOut.persist();
        history.record(optOut.phoneHash, "opted_out", source, reason, optOut.createdAt);
        LOG.infof("%s suppressed (%s)", PhoneNumbers.mask(e164), source);
        return new Added(optOut, true);
    }

    /**
     * Lifts the entry of a number, or of a BSUID when {@code key} is one (that entry only: the number the
     * BSUID maps to keeps its own entry, listed and lifted by number).
     */
    @Transactional
    public void remove(String key) {
        if (key != null && Bsuid.isValid(key.strip())) {
            removeBsuid(key.strip());
            return;
        }
        String phone = key;
        String e164 = normalise(phone);
        OptOut existing = OptOut.find("phoneHash", PhoneHash.of(e164)).firstResult();
        if (existing == null || OptOut.delete("phoneHash", PhoneHash.of(e164)) == 0) {
            throw ProblemException.notFound("opt-out of", PhoneNumbers.mask(e164));
        }
        history.record(existing.phoneHash, "opt_out_lifted", existing.source, null, Instant.now());
        LOG.infof("%s removed from the suppression list", PhoneNumbers.mask(e164));
    }

    private void removeBsuid(String bsuid) {
        OptOut existing = OptOut.find("bsuid", bsuid).firstResult();
        if (existing == null || OptOut.delete("bsuid", bsuid) == 0) {
            throw ProblemException.notFound("opt-out of", Bsuid.mask(bsuid));
        }
        history.record(existing.phoneHash, "opt_out_lifted", existing.source, null, Instant.now());
        LOG.infof("%s removed from the suppression list", Bsuid.mask(bsuid));
    }

    private static String requireBsuid(String value, String field) {
        if (!Bsuid.isValid(value)) {
            throw ProblemException.invalidField(field, "not a business-scoped user id (a country code, '.', up to 128 letters and digits)");
        }
        return value;
    }

    private String normalise(String phone) {
        PhoneNumberResult result = PhoneNumbers.normalise(phone, config.defaultRegion());
        if (result instanceof PhoneNumberResult.Invalid invalid) {
            throw ProblemException.invalid("phoneNumber: " + invalid.reason(),
                    List.of(new io.wacast.common.problem.Problem.FieldError("phoneNumber", null, invalid.reason(),
                            PhoneNumbers.mask(phone))));
        }
        return ((PhoneNumberResult.Valid) result).e164();
    }
}
