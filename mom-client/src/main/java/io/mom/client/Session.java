package io.mom.client;

import java.time.Instant;
import java.util.Objects;

/**
 * A login session: the bearer token the client sends and when it expires.
 *
 * @param token     the bearer token (kept out of {@link #toString()})
 * @param expiresAt when the server stops accepting the token
 */
public record Session(String token, Instant expiresAt) {
    public Session {
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }

    @Override
    public String toString() {
        return "Session[expiresAt=" + expiresAt + "]";
    }
}
