package io.wacast.campaign.service;

import io.wacast.common.event.StatusEvent;

/**
 * What a webhook event says about the user beside its effect (docs/DESIGN.md §4, "Business-scoped user
 * ids" and "What Meta charges"): their number and BSUID as Meta gave them, a BSUID Meta replaced, and
 * the pricing of a status. Null on outcomes.
 *
 * @param phone the user's number in E.164; null when Meta withheld it (a username)
 * @param bsuid the user's business-scoped user id, when Meta sent a valid one
 * @param previousBsuid for a {@code user_id_update}: the BSUID {@code bsuid} replaced
 * @param pricing a status's pricing object; null for other events
 */
public record UserFacts(String phone, String bsuid, String previousBsuid, StatusEvent.Pricing pricing) {

    static UserFacts of(String phone, String bsuid, String previousBsuid, StatusEvent.Pricing pricing) {
        String valid = io.wacast.common.user.Bsuid.isValid(bsuid) ? bsuid : null;
        String previous = io.wacast.common.user.Bsuid.isValid(previousBsuid) ? previousBsuid : null;
        return phone == null && valid == null && pricing == null ? null : new UserFacts(phone, valid, previous, pricing);
    }
}
