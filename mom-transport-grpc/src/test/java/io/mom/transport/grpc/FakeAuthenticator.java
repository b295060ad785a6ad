package io.mom.transport.grpc;

import io.mom.core.ErrorCode;
import io.mom.core.Identity;
import io.mom.core.MomException;
import io.mom.core.auth.Authenticator;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Tokens in a map: {@link #grant} makes one directly, {@link #login} checks a fixed password table. */
final class FakeAuthenticator implements Authenticator {
    private final Map<String, Identity> tokens = new ConcurrentHashMap<>();
    private final Map<String, String> passwords = new ConcurrentHashMap<>();
    private final Map<String, Identity> users = new ConcurrentHashMap<>();
    private final AtomicInteger next = new AtomicInteger();

    FakeAuthenticator user(Identity identity, String password) {
        users.put(identity.username(), identity);
        passwords.put(identity.username(), password);
        return this;
    }

    String grant(Identity identity) {
        String token = "token-" + identity.username() + "-" + next.incrementAndGet();
        tokens.put(token, identity);
        return token;
    }

    @Override
    public Session login(String username, String password) {
        if (!password.equals(passwords.get(username))) {
            throw new MomException(ErrorCode.UNAUTHORIZED, "bad credentials");
        }
        Identity identity = users.get(username);
        return new Session(grant(identity), Instant.parse("2030-01-01T00:00:00Z"), identity);
    }

    @Override
    public Identity verify(String token) {
        Identity identity = tokens.get(token);
        if (identity == null) {
            throw new MomException(ErrorCode.UNAUTHORIZED, "invalid or revoked token");
        }
        return identity;
    }

    @Override
    public void logout(String token) {
        tokens.remove(token);
    }
}
