package io.mom.client.impl;

import io.mom.client.ClientOptions;
import io.mom.client.MomClientException;
import io.mom.client.Session;
import io.mom.client.UnauthorizedException;

import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * Holds the client's session and runs calls with its token: logs in on first use (one login shared by
 * all concurrent callers), logs in again when the token has expired, and repeats a call once after a
 * fresh login when the server rejects the token (401) and credentials are known. Thread-safe.
 */
final class SessionKeeper {
    private final Transport transport;
    private final ClientOptions options;
    private final Clock clock;
    /** The current session, being established or established; null when there is none. */
    private final AtomicReference<CompletableFuture<Session>> current = new AtomicReference<>();

    SessionKeeper(Transport transport, ClientOptions options, Clock clock) {
        this.transport = Objects.requireNonNull(transport, "transport");
        this.options = Objects.requireNonNull(options, "options");
        this.clock = Objects.requireNonNull(clock, "clock");
        options.token().ifPresent(t -> current.set(CompletableFuture.completedFuture(new Session(t, Instant.MAX))));
    }

    /** The session to use now: the current one while valid, otherwise a new login. */
    CompletableFuture<Session> session() {
        CompletableFuture<Session> f = current.get();
        if (f != null && !f.isCompletedExceptionally()
                && !(f.isDone() && f.join().expiresAt().isBefore(clock.instant()))) {
            return f;
        }
        return replace(f);
    }

    /** Logs in now, replacing the current session whatever its state. */
    CompletableFuture<Session> login() {
        return replace(current.get());
    }

    /**
     * Replaces {@code stale} by a new login, unless another caller already replaced it, in which case
     * that caller's login is shared.
     */
    private CompletableFuture<Session> replace(CompletableFuture<Session> stale) {
        if (!options.hasCredentials()) {
            return CompletableFuture.failedFuture(new UnauthorizedException("UNAUTHORIZED",
                    MomClientException.NO_STATUS, "no valid token and no credentials to log in with"));
        }
        CompletableFuture<Session> fresh = new CompletableFuture<>();
        if (!current.compareAndSet(stale, fresh)) {
            CompletableFuture<Session> other = current.get();
            return other != null ? other : replace(null);
        }
        transport.login(options.username().orElseThrow(), options.password().orElseThrow())
                .whenComplete((session, error) -> {
                    if (error != null) {
                        fresh.completeExceptionally(Errors.unwrap(error));
                    } else {
                        fresh.complete(session);
                    }
                });
        return fresh;
    }

    /** Forgets the session and returns its token if one was established. */
    String clear() {
        CompletableFuture<Session> f = current.getAndSet(null);
        if (f == null || !f.isDone() || f.isCompletedExceptionally()) {
            return null;
        }
        return f.join().token();
    }

    /** Runs {@code op} with the session's token; after a 401 logs in again once and repeats it. */
    <T> CompletableFuture<T> call(Function<String, CompletableFuture<T>> op) {
        CompletableFuture<Session> used = session();
        return used.thenCompose(s -> op.apply(s.token())).exceptionallyCompose(error -> {
            Throwable cause = Errors.unwrap(error);
            if (cause instanceof UnauthorizedException && options.hasCredentials() && !used.isCompletedExceptionally()) {
                return replace(used).thenCompose(s -> op.apply(s.token()));
            }
            return CompletableFuture.failedFuture(cause);
        });
    }

    /** {@link #call} for a blocking operation, run on the calling thread. */
    <T> T callBlocking(Function<String, T> op) {
        CompletableFuture<Session> used = session();
        Session s = Errors.await(used);
        try {
            return op.apply(s.token());
        } catch (UnauthorizedException e) {
            if (!options.hasCredentials()) {
                throw e;
            }
            return op.apply(Errors.await(replace(used)).token());
        }
    }
}
