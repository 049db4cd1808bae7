package io.wacast.catalog.domain;

import io.wacast.common.WireNames;
import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;

/** Stores enums under their wire names ("out_of_stock"), so the database reads like the API. */
public final class WireEnumConverters {

    public abstract static class WireEnumConverter<E extends Enum<E>> implements AttributeConverter<E, String> {
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

    @Converter
    public static class ApiRoleConverter extends WireEnumConverter<ApiRole> {
        public ApiRoleConverter() {
            super(ApiRole.class);
        }
    }

    @Converter
    public static class AvailabilityConverter extends WireEnumConverter<Availability> {
        public AvailabilityConverter() {
            super(Availability.class);
        }
    }

    @Converter
    public static class CartStatusConverter extends WireEnumConverter<CartStatus> {
        public CartStatusConverter() {
            super(CartStatus.class);
        }
    }

    @Converter
    public static class OrderStatusConverter extends WireEnumConverter<OrderStatus> {
        public OrderStatusConverter() {
            super(OrderStatus.class);
        }
    }

    @Converter
    public static class OrderSourceConverter extends WireEnumConverter<OrderSource> {
        public OrderSourceConverter() {
            super(OrderSource.class);
        }
    }

    /** A set of flags as "price_mismatch,out_of_stock" (declaration order), null when empty. */
    @Converter
    public static class OrderFlagsConverter implements AttributeConverter<Set<OrderFlag>, String> {
        @Override
        public String convertToDatabaseColumn(Set<OrderFlag> flags) {
            return flags == null || flags.isEmpty()
                    ? null
                    : EnumSet.copyOf(flags).stream().map(WireNames::of).collect(Collectors.joining(","));
        }

        @Override
        public Set<OrderFlag> convertToEntityAttribute(String value) {
            if (value == null || value.isBlank()) {
                return Set.of();
            }
            return Collections.unmodifiableSet(EnumSet.copyOf(Arrays.stream(value.split(","))
                    .map(name -> WireNames.parse(OrderFlag.class, name)).toList()));
        }
    }

    private WireEnumConverters() {
    }
}
