package io.mom.core.spi;

import io.mom.core.Role;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * A user as stored.
 *
 * @param passwordHash    encoded salted hash (algorithm, iterations, salt, hash); never a password
 * @param tokensNotBefore tokens issued before this instant are no longer valid (password change)
 */
public record UserRecord(String username, String passwordHash, Set<Role> roles, Instant tokensNotBefore) {
    public UserRecord {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(passwordHash, "passwordHash");
        roles = Set.copyOf(roles);
        Objects.requireNonNull(tokensNotBefore, "tokensNotBefore");
    }
}
