package io.mom.core.spi;

import java.time.Instant;
import java.util.List;

/**
 * Durable users and revoked tokens. Thread-safe; every method returns once the change is durable.
 * Rarely called, so synchronous.
 */
public interface UserStore {
    /** A revoked token, remembered until it would have expired anyway. */
    record RevokedToken(String tokenId, Instant expiresAt) {
    }

    List<UserRecord> users();

    void putUser(UserRecord user);

    void deleteUser(String username);

    List<RevokedToken> revokedTokens();

    void revoke(RevokedToken token);

    /** Forgets revocations of tokens that expired before {@code now}. */
    void pruneRevoked(Instant now);

    /** A small durable value (for example a generated signing key); null when unset. */
    String setting(String key);

    void putSetting(String key, String value);
}
