package io.wacast.catalog.domain;

import io.quarkus.arc.Arc;
import io.quarkus.arc.ManagedContext;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import io.wacast.catalog.service.Caller;
import jakarta.persistence.Column;
import jakarta.persistence.MappedSuperclass;
import jakarta.persistence.PrePersist;
import jakarta.persistence.PreUpdate;
import java.time.Instant;

/**
 * Who created and last changed a row, and when, stamped on every insert and update so that no
 * service method can forget it. The actor is the API key name of the current request, or the
 * system actor a Kafka consumer sets (see {@link Caller}).
 */
@MappedSuperclass
public abstract class Audited extends PanacheEntityBase {

    @Column(name = "created_at", nullable = false, updatable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    @Column(name = "created_by", nullable = false, updatable = false)
    public String createdBy;

    @Column(name = "updated_by", nullable = false)
    public String updatedBy;

    @PrePersist
    void stampCreated() {
        Instant now = Instant.now();
        String actor = currentActor();
        createdAt = now;
        updatedAt = now;
        createdBy = actor;
        updatedBy = actor;
    }

    @PreUpdate
    void stampUpdated() {
        updatedAt = Instant.now();
        updatedBy = currentActor();
    }

    private static String currentActor() {
        ManagedContext requestContext = Arc.container().requestContext();
        if (requestContext.isActive()) {
            return Arc.container().instance(Caller.class).get().name();
        }
        return Caller.SYSTEM;
    }
}
