package io.wacast.campaign.service;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import com.fasterxml.jackson.annotation.JsonInclude;

import org.jboss.logging.Logger;

import io.quarkus.panache.common.Sort;
import io.wacast.campaign.config.ApiConfig;
import io.wacast.campaign.domain.ApiKey;
import io.wacast.campaign.domain.ApiRole;

/**
 * The one key store of wacast (docs/DESIGN.md D21): issues, lists, rotates, revokes and checks operator
 * API keys for every service. Keys are random, shown once, and stored only as SHA-256 hashes; the
 * bootstrap admin key comes from configuration.
 */
@ApplicationScoped
public class ApiKeyService {

    private static final Logger LOG = Logger.getLogger(ApiKeyService.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final HexFormat HEX = HexFormat.of();
    public static final String BOOTSTRAP_NAME = "bootstrap";

    /**
     * Who made a request.
     *
     * @param name the name the key was issued with ({@code bootstrap} for the configured admin key)
     * @param role what the key may do: {@code admin}, {@code operator} or {@code viewer}
     * @param keyId the key's id; absent for the bootstrap key
     * @param expiresAt when the key stops working; absent for a key without expiry
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Caller(String name, ApiRole role, Long keyId, Instant expiresAt) {
    }

    /** A key just issued; {@code key} is the only time the plaintext exists outside the caller. */
    public record IssuedKey(ApiKey apiKey, String key) {
    }

    private final byte[] bootstrapHash;
    private final ApiConfig config;

    ApiKeyService(ApiConfig config) {
        this.config = config;
        this.bootstrapHash = sha256(config.bootstrapKey());
    }

    /** Empty for a missing, unknown, revoked or expired key. Hashes are compared in constant time. */
    @Transactional
    public Optional<Caller> authenticate(String presentedKey) {
        if (presentedKey == null || presentedKey.isBlank()) {
            return Optional.empty();
        }
        byte[] hash = sha256(presentedKey);
        if (MessageDigest.isEqual(hash, bootstrapHash)) {
            return Optional.of(new Caller(BOOTSTRAP_NAME, ApiRole.ADMIN, null, null));
        }
        return ApiKey.findUsableByHash(HEX.formatHex(hash), Instant.now())
                .filter(key -> MessageDigest.isEqual(HEX.parseHex(key.keyHash), hash))
                .map(key -> new Caller(key.name, key.role, key.id, key.expiresAt));
    }

    /**
     * @param expiresAt when the key stops working, or null for never; in the future and at most
     *        {@code wacast.api.max-key-lifetime} ahead
     */
    @Transactional
    public IssuedKey issue(String name, ApiRole role, Instant expiresAt, String by) {
        checkExpiry(expiresAt, Instant.now());
        IssuedKey issued = persistNew(name, role, expiresAt, by, null);
        LOG.infof("API key %d '%s' issued with role %s by %s", issued.apiKey().id, name, role.value(), by);
        return issued;
    }

    /**
     * Issues a key that replaces {@code id}: same name and role, the given expiry (or none). The old key
     * keeps working for {@code grace} (the configured default when null; zero ends it at once), so
     * clients can move to the new key without an outage.
     */
    @Transactional
    public IssuedKey rotate(long id, Duration grace, Instant expiresAt, String by) {
        Instant now = Instant.now();
        ApiKey old = ApiKey.<ApiKey>findByIdOptional(id).orElseThrow(() -> ProblemException.notFound("API key", id));
        if (!old.usableAt(now)) {
            throw ProblemException.conflict("API key " + id + " is " + old.stateAt(now) + ": only an active key can be rotated");
        }
        Duration keep = grace == null ? config.rotationGrace() : grace;
        if (keep.isNegative() || keep.compareTo(config.maxRotationGrace()) > 0) {
            throw ProblemException.invalidField("graceHours",
                    "must be between 0 and " + config.maxRotationGrace().toHours() + " hours");
        }
        checkExpiry(expiresAt, now);
        Instant oldEnds = now.plus(keep);
        if (old.expiresAt == null || old.expiresAt.isAfter(oldEnds)) {
            old.expiresAt = oldEnds;
        }
        IssuedKey issued = persistNew(old.name, old.role, expiresAt, by, old.id);
        LOG.infof("API key %d '%s' rotated to key %d by %s; the old key works until %s", old.id, old.name,
                issued.apiKey().id, by, old.expiresAt);
        return issued;
    }

    @Transactional
    public List<ApiKey> list() {
        return ApiKey.listAll(Sort.by("id"));
    }

    /** Revoking twice is harmless; the first revocation time is kept. */
    @Transactional
    public ApiKey revoke(long id, String by) {
        ApiKey apiKey = ApiKey.<ApiKey>findByIdOptional(id).orElseThrow(() -> ProblemException.notFound("API key", id));
        if (apiKey.revokedAt == null) {
            apiKey.revokedAt = Instant.now();
            apiKey.revokedBy = by;
            LOG.infof("API key %d '%s' revoked by %s", apiKey.id, apiKey.name, by);
        }
        return apiKey;
    }

    private IssuedKey persistNew(String name, ApiRole role, Instant expiresAt, String by, Long rotatedFrom) {
        byte[] secret = new byte[24];
        RANDOM.nextBytes(secret);
        String key = "wck_" + HEX.formatHex(secret);
        ApiKey apiKey = new ApiKey();
        apiKey.name = name;
        apiKey.role = role;
        apiKey.keyHash = HEX.formatHex(sha256(key));
        apiKey.createdAt = Instant.now();
        apiKey.createdBy = by;
        apiKey.expiresAt = expiresAt == null ? null : expiresAt.truncatedTo(ChronoUnit.MICROS);
        apiKey.rotatedFrom = rotatedFrom;
        apiKey.persist();
        return new IssuedKey(apiKey, key);
    }

    private void checkExpiry(Instant expiresAt, Instant now) {
        if (expiresAt == null) {
            return;
        }
        if (!expiresAt.isAfter(now)) {
            throw ProblemException.invalidField("expiresAt", "must be in the future");
        }
        if (expiresAt.isAfter(now.plus(config.maxKeyLifetime()))) {
            throw ProblemException.invalidField("expiresAt",
                    "must be at most " + config.maxKeyLifetime().toDays() + " days ahead");
        }
    }

    static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }
}
