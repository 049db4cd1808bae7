package io.wacast.catalog.service;

import io.quarkus.panache.common.Sort;
import io.wacast.catalog.config.ApiConfig;
import io.wacast.catalog.domain.ApiKey;
import io.wacast.catalog.domain.ApiRole;
import io.wacast.catalog.service.Drafts.ApiKeyDraft;
import io.wacast.common.problem.Problem.FieldError;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Operator API keys. Only SHA-256 hashes are stored and compared (in constant time); the plaintext
 * of a new key is returned once, on creation. The bootstrap admin key from configuration works on
 * every replica without a database row, so a fresh installation can create the first keys.
 */
@ApplicationScoped
public class ApiKeyService {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final HexFormat HEX = HexFormat.of();

    @Inject
    ApiConfig config;

    @Inject
    Caller caller;

    /** A key and its plaintext, which is never stored. */
    public record IssuedKey(ApiKey key, String plaintext) {
    }

    /** The name and role of the key, if it is the bootstrap key or an unrevoked stored key. */
    @Transactional
    public Optional<Authenticated> authenticate(String presented) {
        if (presented == null || presented.isBlank()) {
            return Optional.empty();
        }
        byte[] hash = sha256(presented);
        if (MessageDigest.isEqual(hash, sha256(config.bootstrapKey()))) {
            return Optional.of(new Authenticated(config.bootstrapKeyName(), ApiRole.ADMIN));
        }
        return ApiKey.findActiveByHash(HEX.formatHex(hash))
                .filter(key -> MessageDigest.isEqual(HEX.parseHex(key.keyHash), hash))
                .map(key -> new Authenticated(key.name, key.role));
    }

    public record Authenticated(String name, ApiRole role) {
    }

    @Transactional
    public IssuedKey create(ApiKeyDraft draft) {
        if (draft.name().equals(config.bootstrapKeyName()) || ApiKey.nameTaken(draft.name())) {
            throw CatalogProblem.conflict("duplicate-api-key-name", "an API key named '" + draft.name() + "' exists",
                    FieldError.of("name", "already used"));
        }
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        String plaintext = "wck_" + HEX.formatHex(secret);
        ApiKey key = new ApiKey();
        key.name = draft.name();
        key.role = draft.role();
        key.keyHash = HEX.formatHex(sha256(plaintext));
        key.createdAt = Instant.now();
        key.createdBy = caller.name();
        key.persist();
        key.flush();
        return new IssuedKey(key, plaintext);
    }

    @Transactional
    public List<ApiKey> list() {
        return ApiKey.listAll(Sort.by("id"));
    }

    /** Revokes a key at once on every replica; revoking twice changes nothing. */
    @Transactional
    public ApiKey revoke(long id) {
        ApiKey key = ApiKey.<ApiKey>findByIdOptional(id).orElseThrow(() -> CatalogProblem.notFound("API key", id));
        if (key.revokedAt == null) {
            key.revokedAt = Instant.now();
            key.revokedBy = caller.name();
        }
        return key;
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
