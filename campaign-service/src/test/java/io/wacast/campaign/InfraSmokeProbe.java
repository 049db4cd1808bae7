package io.wacast.campaign;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.agroal.api.AgroalDataSource;
import io.smallrye.common.annotation.Blocking;

/** Test-only consumer for {@link InfraSmokeTest}: marks the row named by each message as consumed. */
@ApplicationScoped
public class InfraSmokeProbe {

    @Inject
    AgroalDataSource dataSource;

    @Incoming("infra-smoke-in")
    @Blocking
    @Transactional
    public void consume(String id) throws Exception {
        try (var connection = dataSource.getConnection();
                var update = connection.prepareStatement("UPDATE infra_smoke SET state = 'consumed' WHERE id = ?")) {
            update.setString(1, id);
            update.executeUpdate();
        }
    }
}
