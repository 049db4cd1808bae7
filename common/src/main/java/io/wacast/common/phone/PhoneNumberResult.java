package io.wacast.common.phone;

/** The answer of {@link PhoneNumbers#normalise}: a number fit to send to, or why the input is not one. */
public sealed interface PhoneNumberResult {

    /**
     * @param e164 the number in E.164, e.g. "+919978783238"
     * @param regionCode the ISO 3166 region the number belongs to, e.g. "IN"
     */
    record Valid(String e164, String regionCode) implements PhoneNumberResult {
    }

    /** @param reason a sentence for the operator, e.g. "too short for IN" */
    record Invalid(String input, String reason) implements PhoneNumberResult {
    }
}
