package io.wacast.campaign.service;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import io.wacast.campaign.config.ApiConfig;
import io.wacast.campaign.domain.ApiKey;
import io.wacast.campaign.domain.ApiRole;

/**
 * Issues, lists, revokes and checks operator API keys. Keys are random, shown once, and stored only
 * as SHA-256 hashes; the bootstrap admin key comes from configuration.
 */
@ApplicationScoped
public class ApiKeyService {

    private static final Logger LOG = Logger.getLogger(ApiKeyService.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String BOOTSTRAP_NAME = "bootstrap";

    /**
     * Who made a request.
     *
     * @param name the name the key was issued with ({@code bootstrap} for the configured admin key)
     * @param role what the key may do: {@code admin}, {@code operator} or {@code viewer}
     */
    public record Caller(String name, ApiRole role) {
    }

    /** A key just issued; {@code key} is the only time the plaintext exists outside the caller. */
    public record IssuedKey(ApiKey apiKey, String key) {
    }

    private final byte[] bootstrapHash;

    ApiKeyService(ApiConfig config) {
        this.bootstrapHash = sha256(config.bootstrapKey());
    }

    /** Empty for a missing, unknown or revoked key. Hashes are compared in constant time. */
    @Transactional
    public Optional<Caller> authenticate(String presentedKey) {
        if (presentedKey == null || presentedKey.isBlank()) {
            return Optional.empty();
        }
        byte[] hash = sha256(presentedKey);
        if (MessageDigest.isEqual(hash, bootstrapHash)) {
            return Optional.of(new Caller(BOOTSTRAP_NAME, ApiRole.ADMIN));
        }
        String hex = HexFormat.of().formatHex(hash);
        return ApiKey.findActiveByHash(hex)
                .filter(key -> MessageDigest.isEqual(key.keyHash.getBytes(StandardCharsets.US_ASCII),
                        hex.getBytes(StandardCharsets.US_ASCII)))
                .map(key -> new Caller(key.name, key.role));
    }

    @Transactional
    public IssuedKey issue(String name, ApiRole role) {
        byte[] secret = new byte[24];
        RANDOM.nextBytes(secret);
        String key = "wck_" + HexFormat.of().formatHex(secret);
        ApiKey apiKey = new ApiKey();
        apiKey.name = name;
        apiKey.role = role;
        apiKey.keyHash = HexFormat.of().formatHex(sha256(key));
        apiKey.createdAt = Instant.now();
        apiKey.persist();
        LOG.infof("API key %d '%s' issued with role %s", apiKey.id, name, role.value());
        return new IssuedKey(apiKey, key);
    }

    @Transactional
    public List<ApiKey> list() {
        return ApiKey.listAll(io.quarkus.panache.common.Sort.by("id"));
    }

    /** Revoking twice is harmless; the first revocation time is kept. */
    @Transactional
    public ApiKey revoke(long id) {
        ApiKey apiKey = ApiKey.<ApiKey>findByIdOptional(id).orElseThrow(() -> ProblemException.notFound("API key", id));
        if (apiKey.revokedAt == null) {
            apiKey.revokedAt = Instant.now();
            LOG.infof("API key %d '%s' revoked", apiKey.id, apiKey.name);
        }
        return apiKey;
    }

    static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }
}
