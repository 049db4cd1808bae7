package io.wacast.campaign.domain;

import java.time.Instant;
import java.util.Optional;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/**
 * An operator API key; only the SHA-256 of the key is stored, the key itself is shown once. It works
 * until it is revoked or its {@code expiresAt} passes; a rotation sets the old key's expiry to the end
 * of its grace period and links the new key to it.
 */
@Entity
@Table(name = "api_keys")
public class ApiKey extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    public String name;

    @Column(name = "key_hash")
    public String keyHash;

    public ApiRole role;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "created_by")
    public String createdBy;

    @Column(name = "expires_at")
    public Instant expiresAt;

    @Column(name = "revoked_at")
    public Instant revokedAt;

    @Column(name = "revoked_by")
    public String revokedBy;

    @Column(name = "rotated_from")
    public Long rotatedFrom;

    public static Optional<ApiKey> findUsableByHash(String keyHash, Instant now) {
        return find("keyHash = ?1 and revokedAt is null and (expiresAt is null or expiresAt > ?2)", keyHash, now)
                .firstResultOptional();
    }

    public boolean usableAt(Instant now) {
        return revokedAt == null && (expiresAt == null || expiresAt.isAfter(now));
    }

    /** {@code active}, {@code expired} or {@code revoked}, as an operator reads it. */
    public String stateAt(Instant now) {
        return revokedAt != null ? "revoked" : usableAt(now) ? "active" : "expired";
    }
}
