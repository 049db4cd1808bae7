package io.wacast.common.problem;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import java.util.Locale;

/**
 * Says in plain words what is wrong with a body that is not JSON, and where. Jackson's own messages
 * name its classes and limits ({@code StreamReadConstraints.getMaxNestingDepth()}), quote input and
 * speak of bytes; none of that belongs in an answer to a caller.
 */
public final class JsonSyntax {

    /** E.g. "not valid JSON at line 1, column 4: more content after the end of the JSON value". */
    public static String describe(JsonProcessingException e) {
        return "not valid JSON" + where(e.getLocation()) + ": " + what(e);
    }

    static String what(JsonProcessingException e) {
        String message = e.getOriginalMessage() == null ? "" : e.getOriginalMessage().toLowerCase(Locale.ROOT);
        if (e instanceof StreamConstraintsException) {
            if (message.contains("nesting depth")) {
                return "nested too deeply";
            }
            if (message.contains("number")) {
                return "a number is too long";
            }
            if (message.contains("name")) {
                return "a property name is too long";
            }
            return "a value is too long";
        }
        if (e instanceof JsonEOFException || message.contains("unexpected end-of-input")) {
            return "the body ends before the JSON is complete";
        }
        if (message.contains("trailing token")) {
            return "more content after the end of the JSON value";
        }
        if (message.contains("utf-8") || message.contains("utf8") || message.contains("invalid char")) {
            return "the body is not valid UTF-8 text";
        }
        if (message.contains("unrecognized token") || message.contains("unexpected character")
                || message.contains("was expecting")) {
            return "unexpected character";
        }
        if (message.contains("no content")) {
            return "the body is empty";
        }
        return "the body is not well-formed JSON";
    }

    private static String where(JsonLocation location) {
        if (location == null || location.getLineNr() < 1) {
            return "";
        }
        return " at line " + location.getLineNr() + ", column " + location.getColumnNr();
    }

    private JsonSyntax() {
    }
}
