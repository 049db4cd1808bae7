package io.wacast.catalog.domain;

import java.math.BigDecimal;
import java.util.Currency;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Prices are kept as whole minor units (paise, cents) with an ISO-4217 code: no floating point, and
 * the number of decimals comes from the currency itself (JPY has none, KWD has three).
 */
public final class Money {

    /** The currency of an ISO-4217 code, if it is one that has minor units defined (not XXX, XAU, ...). */
    public static Optional<Currency> currency(String code) {
        if (code == null || code.length() != 3) {
            return Optional.empty();
        }
        try {
            Currency currency = Currency.getInstance(code);
            return currency.getDefaultFractionDigits() < 0 ? Optional.empty() : Optional.of(currency);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /**
     * The amount in minor units, e.g. 2500.5 INR → 250050; empty when the amount is negative or has
     * more decimals than the currency allows (10.005 USD), which no catalog price can equal.
     */
    public static OptionalLong toMinor(BigDecimal amount, Currency currency) {
        if (amount == null || amount.signum() < 0) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(amount.movePointRight(currency.getDefaultFractionDigits()).longValueExact());
        } catch (ArithmeticException e) {
            return OptionalLong.empty();
        }
    }

    private Money() {
    }
}
