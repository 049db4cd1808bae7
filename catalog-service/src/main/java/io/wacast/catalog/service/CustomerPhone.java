package io.wacast.catalog.service;

import io.wacast.common.phone.PhoneNumberResult;
import io.wacast.common.phone.PhoneNumbers;
import io.wacast.common.problem.Problem.FieldError;

/** Customer numbers are stored in E.164, the form Meta's {@code from} takes once a '+' is added. */
final class CustomerPhone {

    /** The E.164 form of an operator-supplied number, or a 400 naming the field and the reason. */
    static String require(String raw, String field) {
        PhoneNumberResult result = PhoneNumbers.normalise(raw, null);
        if (result instanceof PhoneNumberResult.Valid valid) {
            return valid.e164();
        }
        String reason = ((PhoneNumberResult.Invalid) result).reason();
        throw CatalogProblem.invalid(field + ": " + reason,
                new FieldError(field, null, reason, PhoneNumbers.mask(raw)));
    }

    private CustomerPhone() {
    }
}
