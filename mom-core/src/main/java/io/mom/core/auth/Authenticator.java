package io.mom.core.auth;

import io.mom.core.ErrorCode;
import io.mom.core.Identity;

import java.time.Instant;

/**
 * Logs users in and checks their tokens; shared by every transport so that a token works on REST
 * and gRPC alike. Thread-safe.
 */
public interface Authenticator {

    /** A signed-in session. */
    record Session(String token, Instant expiresAt, Identity identity) {
    }

    /** Checks the password and issues a token; bad credentials are {@link ErrorCode#UNAUTHORIZED}. */
    Session login(String username, String password);

    /** The identity behind a valid token; missing, expired, revoked or forged is {@link ErrorCode#UNAUTHORIZED}. */
    Identity verify(String token);

    /** Revokes the token (it fails from now on, everywhere). */
    void logout(String token);
}
