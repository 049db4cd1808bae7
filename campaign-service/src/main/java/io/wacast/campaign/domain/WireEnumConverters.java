package io.wacast.campaign.domain;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

import io.wacast.common.WireNames;
import io.wacast.common.status.CampaignStatus;

/** Enums are stored as their wire names ("opted_out"), so SQL, JSON and logs read the same. */
public final class WireEnumConverters {

    abstract static class WireEnumConverter<E extends Enum<E>> implements AttributeConverter<E, String> {

        private final Class<E> type;

        WireEnumConverter(Class<E> type) {
            this.type = type;
        }

        @Override
        public String convertToDatabaseColumn(E value) {
            return value == null ? null : WireNames.of(value);
        }

        @Override
        public E convertToEntityAttribute(String value) {
            return value == null ? null : WireNames.parse(type, value);
        }
    }

    @Converter(autoApply = true)
    public static class CampaignStatusConverter extends WireEnumConverter<CampaignStatus> {
        public CampaignStatusConverter() {
            super(CampaignStatus.class);
        }
    }

    @Converter(autoApply = true)
    public static class ApiRoleConverter extends WireEnumConverter<ApiRole> {
        public ApiRoleConverter() {
            super(ApiRole.class);
        }
    }

    @Converter(autoApply = true)
    public static class TemplateCategoryConverter extends WireEnumConverter<TemplateCategory> {
        public TemplateCategoryConverter() {
            super(TemplateCategory.class);
        }
    }

    @Converter(autoApply = true)
    public static class TemplateStatusConverter extends WireEnumConverter<TemplateStatus> {
        public TemplateStatusConverter() {
            super(TemplateStatus.class);
        }
    }

    @Converter(autoApply = true)
    public static class HeaderTypeConverter extends WireEnumConverter<HeaderType> {
        public HeaderTypeConverter() {
            super(HeaderType.class);
        }
    }

    private WireEnumConverters() {
    }
}
