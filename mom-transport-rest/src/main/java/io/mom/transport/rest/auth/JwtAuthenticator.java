package io.mom.transport.rest.auth;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTVerifier;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.exceptions.JWTVerificationException;
import com.auth0.jwt.interfaces.DecodedJWT;
import io.mom.core.ErrorCode;
import io.mom.core.Identity;
import io.mom.core.MomException;
import io.mom.core.auth.Authenticator;
import io.mom.core.auth.Users;
import io.mom.core.spi.UserStore;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Signed, expiring tokens (JWT, HS256) for the users of a {@link Users} directory.
 *
 * <p>A token carries its id ({@code jti}), the user ({@code sub}), issue and expiry times and the issue
 * time in microseconds ({@code iat_us}). It is valid while its signature checks, it has not expired, it
 * has not been revoked by a logout, its user still exists and it was issued no earlier than the user's
 * {@code tokensNotBefore} (moved by a password change). The roles come from the directory at each
 * check, so a role change applies at once. Revocations are written to the {@link UserStore} (so they
 * survive restarts and reach other nodes sharing the store) and kept in memory until the token would
 * have expired anyway.
 *
 * <p>Threading: thread-safe. The signing secret is never logged.
 */
public final class JwtAuthenticator implements Authenticator {
    /** Shortest accepted secret, in characters. */
    public static final int MIN_SECRET_LENGTH = 32;

    private static final String ISSUER = "mom";
    private static final String ISSUED_MICROS = "iat_us";

    private final Users users;
    private final UserStore store;
    private final Algorithm algorithm;
    private final JWTVerifier verifier;
    private final Duration ttl;
    private final Clock clock;
    private final ConcurrentHashMap<String, Instant> revoked = new ConcurrentHashMap<>();

    /**
     * @param secret signing key, at least {@value #MIN_SECRET_LENGTH} characters
     * @param ttl    lifetime of a token (at least one second)
     */
    public JwtAuthenticator(Users users, UserStore store, String secret, Duration ttl, Clock clock) {
        this.users = Objects.requireNonNull(users, "users");
        this.store = Objects.requireNonNull(store, "store");
        this.ttl = Objects.requireNonNull(ttl, "ttl");
        this.clock = Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(secret, "secret");
        if (secret.length() < MIN_SECRET_LENGTH) {
            throw MomException.invalid("the token secret must have at least " + MIN_SECRET_LENGTH + " characters");
        }
        if (ttl.getSeconds() < 1) {
            throw MomException.invalid("the token lifetime must be at least 1 s");
        }
        this.algorithm = Algorithm.HMAC256(secret.getBytes(StandardCharsets.UTF_8));
        this.verifier = ((JWTVerifier.BaseVerification) JWT.require(algorithm).withIssuer(ISSUER)).build(clock);
        Instant now = clock.instant();
        for (UserStore.RevokedToken t : store.revokedTokens()) {
            if (t.expiresAt().isAfter(now)) {
                revoked.put(t.tokenId(), t.expiresAt());
            }
        }
    }

    @Override
    public Session login(String username, String password) {
        Identity identity = users.authenticate(username, password)
                .orElseThrow(() -> new MomException(ErrorCode.UNAUTHORIZED, "invalid username or password"));
        Instant now = clock.instant();
        Instant expires = now.plus(ttl).truncatedTo(ChronoUnit.SECONDS);
        String token = JWT.create()
                .withIssuer(ISSUER)
                .withJWTId(UUID.randomUUID().toString())
                .withSubject(identity.username())
                .withIssuedAt(now)
                .withClaim(ISSUED_MICROS, micros(now))
                .withExpiresAt(expires)
                .sign(algorithm);
        return new Session(token, expires, identity);
    }

    @Override
    public Identity verify(String token) {
        return check(token).identity;
    }

    @Override
    public void logout(String token) {
        Checked c = check(token);
        revoked.put(c.id, c.expiresAt);
        store.revoke(new UserStore.RevokedToken(c.id, c.expiresAt));
        prune();
    }

    private record Checked(String id, Instant expiresAt, Identity identity) {
    }

    private Checked check(String token) {
        if (token == null || token.isBlank()) {
            throw unauthorized("a bearer token is required");
        }
        DecodedJWT jwt;
        try {
            jwt = verifier.verify(token);
        } catch (JWTVerificationException e) {
            throw unauthorized("invalid or expired token");
        }
        String id = jwt.getId();
        Long issuedMicros = jwt.getClaim(ISSUED_MICROS).asLong();
        if (id == null || jwt.getSubject() == null || issuedMicros == null || jwt.getExpiresAtAsInstant() == null) {
            throw unauthorized("invalid or expired token");
        }
        if (revoked.containsKey(id)) {
            throw unauthorized("the token has been revoked");
        }
        Optional<Users.Account> account = users.account(jwt.getSubject());
        if (account.isEmpty() || issuedMicros < micros(account.get().tokensNotBefore())) {
            throw unauthorized("the token has been revoked");
        }
        return new Checked(id, jwt.getExpiresAtAsInstant(), account.get().identity());
    }

    private void prune() {
        Instant now = clock.instant();
        revoked.values().removeIf(expiry -> expiry.isBefore(now));
        store.pruneRevoked(now);
    }

    private static long micros(Instant t) {
        return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1_000);
    }

    private static MomException unauthorized(String message) {
        return new MomException(ErrorCode.UNAUTHORIZED, message);
    }
}
