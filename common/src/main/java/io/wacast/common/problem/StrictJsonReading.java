package io.wacast.common.problem;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;

/**
 * JSON is read as typed, never converted: Jackson by default truncates 12.5 to 12 in an integer field,
 * turns {@code "name": 123} into "123" and {@code "id": "1"} into 1, and ignores what follows the
 * value. For rates, money, quantities and names that would silently change what the caller asked for,
 * so each of these becomes a mapping error the service answers with a 400 naming the field.
 */
public final class StrictJsonReading {

    /** Makes {@code mapper} refuse coercions and trailing content. */
    public static void apply(ObjectMapper mapper) {
        mapper.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
        mapper.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        for (CoercionInputShape scalar : new CoercionInputShape[] {CoercionInputShape.Integer, CoercionInputShape.Float,
                CoercionInputShape.Boolean}) {
            mapper.coercionConfigFor(LogicalType.Textual).setCoercion(scalar, CoercionAction.Fail);
        }
        for (LogicalType number : new LogicalType[] {LogicalType.Integer, LogicalType.Float, LogicalType.Boolean}) {
            mapper.coercionConfigFor(number).setCoercion(CoercionInputShape.String, CoercionAction.Fail);
        }
    }

    private StrictJsonReading() {
    }
}
