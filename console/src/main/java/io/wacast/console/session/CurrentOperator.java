package io.wacast.console.session;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
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
                this.zone = ZoneId.of(URLDecoder.decode(zoneId, StandardCharsets.UTF_8));
            } catch (DateTimeException | IllegalArgumentException ignored) {
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

    /** The zone's name as people read it ("UTC" rather than "Z"). */
    public String getZoneName() {
        return zone.equals(ZoneOffset.UTC) ? "UTC" : zone.getId();
    }
}
