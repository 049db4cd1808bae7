package io.wacast.console.session;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZoneOffset;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Named;

/**
 * The operator of the current request, set by {@link SessionFilter}; templates read it as
 * {@code {inject:operator.name}}, {@code {inject:operator.mayChange}}.
 */
@Named("operator")
@RequestScoped
public class CurrentOperator {

    private Operator operator;
    private ZoneId zone = ZoneOffset.UTC;

    void signIn(Operator operator) {
        this.operator = operator;
    }

    void zone(String zoneId) {
        if (zoneId != null && !zoneId.isBlank()) {
            try {
                this.zone = ZoneId.of(zoneId);
            } catch (DateTimeException ignored) {
                // a browser that sent something odd keeps UTC
            }
        }
    }

    public boolean isSignedIn() {
        return operator != null;
    }

    /** The key sent upstream as {@code Authorization: Bearer}; never rendered. */
    public String apiKey() {
        return operator == null ? null : operator.apiKey();
    }

    public String getName() {
        return operator == null ? "" : operator.name();
    }

    public String getRole() {
        return operator == null ? "" : operator.role();
    }

    public boolean getMayChange() {
        return operator != null && operator.mayChange();
    }

    public boolean getIsAdmin() {
        return operator != null && operator.isAdmin();
    }

    /** The operator's time zone, as their browser reported it (UTC until it has). */
    public ZoneId getZone() {
        return zone;
    }
}
