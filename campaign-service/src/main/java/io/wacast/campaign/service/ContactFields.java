package io.wacast.campaign.service;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

import io.wacast.common.text.ControlCharacters;

/**
 * The rules for what a contact may hold, in one place for the API, the CSV import and the filters.
 * Each check returns why a value is refused, or null when it is fine; limits are named in the reason.
 */
final class ContactFields {

    static final int MAX_NAME = 200;
    static final int MAX_LANGUAGE = 16;
    static final int MAX_TAG = 64;
    static final int MAX_TAGS = 50;
    static final int MAX_ATTRIBUTE_NAME = 64;
    static final int MAX_ATTRIBUTE_VALUE = 255;
    static final int MAX_ATTRIBUTES = 50;
    static final int MAX_EVIDENCE = 1000;
    static final int MAX_BSUID = 128;
    /** The columns of a contacts CSV that are not attributes; no attribute may take these names. */
    static final Set<String> RESERVED = Set.of("phone", "name", "language", "tags");

    private static final Pattern TAG = Pattern.compile("[a-z0-9][a-z0-9_.:-]*");
    private static final Pattern ATTRIBUTE_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_.-]*");
    private static final Pattern LANGUAGE = Pattern.compile("[a-z]{2,3}([_-][A-Za-z0-9]{2,8})?");
    private static final Pattern BSUID = Pattern.compile("[A-Za-z0-9._:-]+");

    private ContactFields() {
    }

    /** Tags are compared in lower case: "VIP" and "vip" are one tag. */
    static String normaliseTag(String tag) {
        return tag == null ? null : tag.strip().toLowerCase(Locale.ROOT);
    }

    static String tagProblem(String tag) {
        if (tag == null || tag.isEmpty()) {
            return "empty tag";
        }
        if (tag.length() > MAX_TAG) {
            return "tag longer than " + MAX_TAG + " characters";
        }
        if (!TAG.matcher(tag).matches()) {
            return "tag '" + tag + "' may hold only letters a-z, digits and _ . : - (starting with a letter or digit)";
        }
        return null;
    }

    static String nameProblem(String name) {
        if (name == null) {
            return null;
        }
        if (name.length() > MAX_NAME) {
            return "longer than " + MAX_NAME + " characters";
        }
        return ControlCharacters.problem(name, false).orElse(null);
    }

    static String languageProblem(String language) {
        if (language == null) {
            return null;
        }
        if (language.length() > MAX_LANGUAGE) {
            return "longer than " + MAX_LANGUAGE + " characters";
        }
        return LANGUAGE.matcher(language).matches() ? null
                : "not a language code like en, en_US or pt_BR";
    }

    static String attributeNameProblem(String name) {
        if (name == null || name.isEmpty()) {
            return "empty attribute name";
        }
        if (name.length() > MAX_ATTRIBUTE_NAME) {
            return "attribute name longer than " + MAX_ATTRIBUTE_NAME + " characters";
        }
        if (!ATTRIBUTE_NAME.matcher(name).matches()) {
            return "attribute name '" + name + "' may hold only letters, digits and _ . - (starting with a letter)";
        }
        if (RESERVED.contains(name.toLowerCase(Locale.ROOT))) {
            return "'" + name + "' is a contact field, not an attribute";
        }
        return null;
    }

    static String attributeValueProblem(String name, String value) {
        if (value == null) {
            return "attribute " + name + " has no value";
        }
        if (value.length() > MAX_ATTRIBUTE_VALUE) {
            return "attribute " + name + " is longer than " + MAX_ATTRIBUTE_VALUE + " characters";
        }
        return ControlCharacters.problem(value, false).map(p -> "attribute " + name + " " + p).orElse(null);
    }

    static String evidenceProblem(String evidence) {
        if (evidence == null) {
            return null;
        }
        if (evidence.length() > MAX_EVIDENCE) {
            return "longer than " + MAX_EVIDENCE + " characters";
        }
        return ControlCharacters.problem(evidence, true).orElse(null);
    }

    static String bsuidProblem(String bsuid) {
        if (bsuid == null) {
            return null;
        }
        if (bsuid.length() > MAX_BSUID) {
            return "longer than " + MAX_BSUID + " characters";
        }
        return BSUID.matcher(bsuid).matches() ? null : "may hold only letters, digits and . _ : -";
    }
}
