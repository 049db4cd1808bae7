package io.wacast.common.phone;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberFormat;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberType;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import java.util.Locale;

/**
 * Turns the phone numbers operators upload into E.164 (libphonenumber), with a reason a person can act
 * on when a number cannot receive WhatsApp messages, and masks numbers for logs. Thread-safe.
 */
public final class PhoneNumbers {

    private static final PhoneNumberUtil LIBPHONENUMBER = PhoneNumberUtil.getInstance();

    /**
     * Normalises {@code raw}, reading national numbers as numbers of {@code defaultRegion} (ISO 3166
     * code such as "IN"; null accepts only international numbers). International prefixes are
     * understood as dialled from the default region ("00 44 …" from IN, "011 44 …" from US).
     * Spaces, dashes, dots, slashes and parentheses are ignored; letters are refused rather than read
     * as a vanity number or an extension.
     */
    public static PhoneNumberResult normalise(String raw, String defaultRegion) {
        if (raw == null || raw.isBlank()) {
            return invalid(raw, "empty");
        }
        String region = defaultRegion == null || defaultRegion.isBlank()
                ? null
                : defaultRegion.trim().toUpperCase(Locale.ROOT);
        if (region != null && !isKnownRegion(region)) {
            return invalid(raw, "unknown default region '" + defaultRegion + "'");
        }
        if (!hasOnlyDialableCharacters(raw)) {
            return invalid(raw, "not a phone number: only digits, '+', spaces, dashes, dots and parentheses allowed");
        }
        PhoneNumber number;
        try {
            number = LIBPHONENUMBER.parse(raw, region == null ? "ZZ" : region);
        } catch (NumberParseException e) {
            return invalid(raw, parseFailure(e.getErrorType(), region));
        }
        // UNKNOWN exactly when isValidNumber is false: both match the number against its own region's
        // patterns, so asking for the type alone does that work once instead of twice (a fifth of a
        // 1M-row import's CPU went into this method)
        PhoneNumberType type = LIBPHONENUMBER.getNumberType(number);
        if (type == PhoneNumberType.UNKNOWN) {
            return invalid(raw, notValid(number, region));
        }
        if (cannotReceiveMessages(type)) {
            return invalid(raw, typeName(type) + " number cannot receive WhatsApp messages");
        }
        return new PhoneNumberResult.Valid(
                LIBPHONENUMBER.format(number, PhoneNumberFormat.E164), LIBPHONENUMBER.getRegionCodeForNumber(number));
    }

    public static boolean isKnownRegion(String regionCode) {
        return regionCode != null && LIBPHONENUMBER.getSupportedRegions().contains(regionCode.toUpperCase(Locale.ROOT));
    }

    /**
     * A number fit for logs: the '+' and two digits of the country code, then only the last four
     * digits, e.g. "+91******3238". Anything too short to hide enough becomes "****".
     */
    public static String mask(String phone) {
        if (phone == null) {
            return "****";
        }
        String digits = digitsOf(phone);
        boolean international = phone.strip().startsWith("+");
        int shown = international ? 2 : 0;
        int hidden = digits.length() - shown - 4;
        if (hidden < 4) {
            return "****";
        }
        return (international ? "+" + digits.substring(0, 2) : "")
                + "*".repeat(hidden)
                + digits.substring(digits.length() - 4);
    }

    /** The ASCII digits of {@code text}, in order (a display number "+1 (555) 010-0199" → "15550100199"). */
    public static String digitsOf(String text) {
        StringBuilder digits = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= '0' && c <= '9') {
                digits.append(c);
            }
        }
        return digits.toString();
    }

    private static boolean hasOnlyDialableCharacters(String raw) {
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            boolean dialable = Character.isDigit(c)
                    || Character.isWhitespace(c)
                    || Character.isSpaceChar(c)
                    || Character.getType(c) == Character.DASH_PUNCTUATION
                    || "+＋().（）/[]".indexOf(c) >= 0
                    || c == '.';
            if (!dialable) {
                return false;
            }
        }
        return true;
    }

    private static String parseFailure(NumberParseException.ErrorType error, String region) {
        return switch (error) {
            case INVALID_COUNTRY_CODE -> region == null
                    ? "missing or unknown country code: write it as +<country code> or set a default region"
                    : "unknown country code";
            case NOT_A_NUMBER -> "not a phone number";
            case TOO_SHORT_AFTER_IDD, TOO_SHORT_NSN -> "too short";
            case TOO_LONG -> "too long";
        };
    }

    /**
     * libphonenumber's region for an invalid number is a guess, so name the default region when the
     * country code is its own, otherwise the main region of the country code (GB for +44, US for +1).
     */
    private static String notValid(PhoneNumber number, String defaultRegion) {
        int countryCode = number.getCountryCode();
        String mainRegion = LIBPHONENUMBER.getRegionCodeForCountryCode(countryCode);
        String where = defaultRegion != null && LIBPHONENUMBER.getCountryCodeForRegion(defaultRegion) == countryCode
                ? defaultRegion
                : LIBPHONENUMBER.getSupportedRegions().contains(mainRegion)
                ? mainRegion
                : "country code +" + countryCode;
        return switch (LIBPHONENUMBER.isPossibleNumberWithReason(number)) {
            case TOO_SHORT -> "too short for " + where;
            case TOO_LONG -> "too long for " + where;
            case INVALID_LENGTH -> "wrong number of digits for " + where;
            case INVALID_COUNTRY_CODE -> "unknown country code +" + number.getCountryCode();
            case IS_POSSIBLE_LOCAL_ONLY -> "incomplete number: area code missing for " + where;
            case IS_POSSIBLE -> "not a valid number for " + where;
        };
    }

    /** Consumers' numbers only; fixed lines and VoIP can run WhatsApp, these services cannot. */
    private static boolean cannotReceiveMessages(PhoneNumberType type) {
        return switch (type) {
            case TOLL_FREE, PREMIUM_RATE, SHARED_COST, PAGER, UAN, VOICEMAIL -> true;
            default -> false;
        };
    }

    private static String typeName(PhoneNumberType type) {
        return switch (type) {
            case TOLL_FREE -> "toll-free";
            case PREMIUM_RATE -> "premium-rate";
            case SHARED_COST -> "shared-cost";
            case UAN -> "universal access (UAN)";
            default -> type.name().toLowerCase(Locale.ROOT);
        };
    }

    private static PhoneNumberResult invalid(String raw, String reason) {
        return new PhoneNumberResult.Invalid(raw, reason);
    }

    private PhoneNumbers() {
    }
}
