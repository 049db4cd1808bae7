package io.wacast.campaign.service;

import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import io.quarkus.hibernate.orm.panache.PanacheQuery;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Sort;
import io.wacast.campaign.config.CampaignConfig;
import io.wacast.campaign.domain.OptOut;
import io.wacast.campaign.domain.PhoneHash;
import io.wacast.common.phone.PhoneNumberResult;
import io.wacast.common.phone.PhoneNumbers;

/**
 * The suppression list. Fed by operators, by Meta's 131050 and by STOP replies; recipients on it are
 * stored opted_out and the dispatcher never sends to them.
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

    @Transactional
    public OptOutPage list(int page, int size) {
        // An erased contact's opt-out has no number left to show; it still suppresses (by hash).
        PanacheQuery<OptOut> all = OptOut.find("phone is not null", Sort.descending("createdAt", "id"));
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

    @Transactional
    public void remove(String phone) {
        String e164 = normalise(phone);
        OptOut existing = OptOut.find("phoneHash", PhoneHash.of(e164)).firstResult();
        if (existing == null || OptOut.delete("phoneHash", PhoneHash.of(e164)) == 0) {
            throw ProblemException.notFound("opt-out of", PhoneNumbers.mask(e164));
        }
        history.record(existing.phoneHash, "opt_out_lifted", existing.source, null, Instant.now());
        LOG.infof("%s removed from the suppression list", PhoneNumbers.mask(e164));
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
