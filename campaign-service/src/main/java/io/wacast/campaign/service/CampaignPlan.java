package io.wacast.campaign.service;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.wacast.campaign.domain.TemplateCategory;
import io.wacast.campaign.domain.TemplateStatus;

/**
 * What sending a campaign now would do, before anything is sent ({@code GET /campaigns/{id}/plan}):
 * advice, except that {@code send} refuses a campaign without recipients or with a template that is
 * not approved.
 *
 * @param campaignId the campaign planned
 * @param recipients who will be sent and who not, and why
 * @param template the campaign's template as registered here
 * @param duration when the messages leave
 * @param messagingLimit whether the campaign fits Meta's messaging limit of the business portfolio
 * @param cost what Meta will charge for the messages, if all are delivered
 * @param warnings plain sentences an operator should read before sending
 * @param generatedAt when this plan was computed
 * @param audience the saved audience the campaign targets; null when it targets none. Until the snapshot
 *     at the start its contacts are not recipients yet, so the counts above are the uploaded recipients only
 */
public record CampaignPlan(long campaignId, Recipients recipients, Template template, Duration duration,
        MessagingLimit messagingLimit, Cost cost, List<String> warnings, Instant generatedAt,
        @JsonInclude(JsonInclude.Include.NON_NULL) Audience audience) {

    /**
     * @param id the audience
     * @param name its name
     * @param matchingNow contacts its filter matches now (before suppression and opt-in checks at the
     *     snapshot for the ones it does not filter itself); null once the snapshot was taken
     * @param variables template key → contact attribute name
     * @param snapshotAt when its contacts became recipients; null before the start
     * @param snapshot what that snapshot did (added, suppressed, without opt-in, …)
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Audience(long id, String name, Long matchingNow, java.util.Map<String, String> variables, Instant snapshotAt,
            io.wacast.campaign.repository.AudienceRepository.Snapshot snapshot) {
    }

    /**
     * The campaign's {@code pending} recipients (recipients already dispatched are not planned again).
     * Invalid and duplicate numbers never become recipients: the upload rejects them and reports them in
     * its answer, so they are not counted here. Each excluded recipient is counted under the first reason
     * that applies, in the order of {@link Excluded}'s fields, so {@code willSend} plus the excluded
     * counts is {@code pending}.
     *
     * @param pending recipients still to be sent
     * @param willSend pending recipients that pass every check below
     * @param excluded pending recipients that will not be sent (or that Meta will refuse), by reason
     */
    public record Recipients(long pending, long willSend, Excluded excluded) {
    }

    /**
     * @param optedOut on the suppression list now (it may have changed since upload; matched by the hash of
     *        the number, as the dispatcher does, so an erased contact's opt-out counts); the dispatcher skips them
     * @param noMarketingOptIn for a marketing template: no opt-in recorded in the contact book (no contact,
     *        an erased one, consent cleared); the dispatcher stores them opted_out
     * @param blockedCountry in a country the operator blocks ({@code wacast.campaign.plan.blocked-countries});
     *        advice only: the dispatcher does not check it
     * @param usMarketing US numbers (+1 with a US area code) while the template is marketing: Meta has not
     *        delivered marketing templates to US numbers since 2025-04-01
     * @param missingVariables without a value for a template variable the campaign has no default for
     *        (possible when defaults changed after upload); Meta would answer 132000
     */
    public record Excluded(long optedOut, long noMarketingOptIn, long blockedCountry, long usMarketing, long missingVariables) {
    }

    /**
     * @param name the template's name
     * @param language its language code
     * @param status its review state at Meta as registered here; null when the template is gone
     * @param category marketing, utility or authentication; decides the price and the US rule
     * @param usable whether it can be sent (approved); {@code send} refuses the campaign otherwise
     * @param createdAt when it was registered here
     */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Template(String name, String language, TemplateStatus status, TemplateCategory category, boolean usable,
            Instant createdAt) {
    }

    /**
     * @param perSecond the effective rate: the campaign's {@code rateLimit}/60, at most the number's
     *        throughput shared equally with the other campaigns sending on that number now
     * @param numberCapPerSecond the business number's throughput ({@code wacast.campaign.number-cap-per-second})
     * @param otherSendingCampaigns campaigns other than this one sending on the same number now
     * @param messages the messages planned ({@code recipients.willSend})
     * @param start {@code scheduledFor}, or now when that is absent or past
     * @param end when the last message leaves (start when there is nothing to send)
     * @param seconds from start to end
     * @param days one entry per opening of the send window, in the window's zone; empty without a window
     */
    public record Duration(double perSecond, int numberCapPerSecond, long otherSendingCampaigns, long messages,
            Instant start, Instant end, long seconds, List<SendSchedule.Day> days) {
    }

    /**
     * Meta's messaging limit: unique users a business portfolio reaches with templates in a moving 24 h.
     *
     * @param tier the portfolio's limit ({@code wacast.campaign.plan.messaging-limit-tier}); null when unlimited
     * @param reachedLast24h distinct numbers wacast had a template accepted for in the last 24 h, all campaigns
     * @param fits whether {@code reachedLast24h} plus this campaign's {@code willSend} stays within the tier
     *        (conservative: numbers reached already and again by this campaign are counted twice)
     * @param wouldHitLimitAt when, at the planned rate, the message that reaches the limit leaves; null when it fits
     * @param suggestedSplit how to stay within the limit; null when it fits
     */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record MessagingLimit(Long tier, long reachedLast24h, boolean fits, Instant wouldHitLimitAt,
            SuggestedSplit suggestedSplit) {
    }

    /**
     * @param recipientsPerDay at most this many recipients per 24 h (the tier)
     * @param days how many such days the campaign needs
     */
    public record SuggestedSplit(long recipientsPerDay, long days) {
    }

    /**
     * An estimate: Meta charges per delivered template message by the recipient's country and the
     * template's category; undelivered messages cost nothing, so this is the most it costs.
     *
     * @param category the price category (the template's)
     * @param rateCard where the prices come from (the shipped file or the operator's)
     * @param countries one line per recipient country, largest subtotal first
     * @param totals the sum per currency
     */
    public record Cost(TemplateCategory category, String rateCard, List<CountryCost> countries, List<Total> totals) {
    }

    /**
     * @param country ISO 3166 region of the numbers ({@code ZZ} when libphonenumber knows none)
     * @param recipients recipients of {@code willSend} in that country
     * @param unitPrice price of one delivered message; null when the rate card has none
     * @param currency of the price
     * @param subtotal recipients × unit price
     * @param validFrom the rate card row's valid_from
     * @param restOfWorld true when the country has no row of its own and the card's {@code *} row applies
     */
    public record CountryCost(String country, long recipients, BigDecimal unitPrice, String currency, BigDecimal subtotal,
            LocalDate validFrom, boolean restOfWorld) {
    }

    /**
     * @param currency ISO 4217
     * @param amount the sum of the subtotals in that currency
     */
    public record Total(String currency, BigDecimal amount) {
    }
}
