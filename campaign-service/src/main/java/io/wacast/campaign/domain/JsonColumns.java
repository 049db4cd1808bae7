package io.wacast.campaign.domain;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Small structured values (template variables, buttons) are stored as JSON text: MySQL's JSON type
 * and MariaDB's alias of LONGTEXT differ, TEXT reads the same on both.
 */
public final class JsonColumns {

    /**
     * The service's one mapper outside CDI (the others take Quarkus's injected one): JPA converters are
     * made by Hibernate and the column helpers are called from static row mappers.
     */
    static final ObjectMapper MAPPER = new ObjectMapper();

    /** A copy of {@link #MAPPER} for static code that reads JSON with settings of its own. */
    public static ObjectMapper mapperCopy() {
        return MAPPER.copy();
    }
    private static final TypeReference<LinkedHashMap<String, String>> STRING_MAP = new TypeReference<>() {
    };
    private static final TypeReference<List<TemplateButton>> BUTTONS = new TypeReference<>() {
    };

    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a JSON column", e);
        }
    }

    public static Map<String, String> readStringMap(String json) {
        if (json == null || json.isBlank()) {
            return new LinkedHashMap<>();
        }
        try {
            return MAPPER.readValue(json, STRING_MAP);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("corrupt JSON column", e);
        }
    }

    @Converter
    public static class StringMapConverter implements AttributeConverter<Map<String, String>, String> {

        @Override
        public String convertToDatabaseColumn(Map<String, String> value) {
            return write(value == null ? Map.of() : value);
        }

        @Override
        public Map<String, String> convertToEntityAttribute(String json) {
            return readStringMap(json);
        }
    }

    @Converter
    public static class ButtonsConverter implements AttributeConverter<List<TemplateButton>, String> {

        @Override
        public String convertToDatabaseColumn(List<TemplateButton> value) {
            return write(value == null ? List.of() : value);
        }

        @Override
        public List<TemplateButton> convertToEntityAttribute(String json) {
            if (json == null || json.isBlank()) {
                return List.of();
            }
            try {
                return MAPPER.readValue(json, BUTTONS);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("corrupt JSON column", e);
            }
        }
    }

    private JsonColumns() {
    }
}
