package io.mom.transport.grpc;

import io.mom.grpc.v1.CloseReason;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The open streaming calls of one server ({@code Subscribe} and {@code PublishStream}), by the token that
 * opened them, so that a logout or a shutdown can end them: a subscription with a {@code closed} event,
 * a publish stream once its requests in progress are answered; a password change or deletion ends a
 * user's streams whatever token opened them. Thread-safe.
 */
final class OpenStreams {
    /** A streaming call that the server can end. */
    interface Stream {
        /** Ends the call from the server side; idempotent, never blocks. */
        void end(CloseReason reason);

        /** The user whose token opened the call. */
        String user();
    }

    private final ConcurrentHashMap<String, Set<Stream>> byToken = new ConcurrentHashMap<>();

    void add(String token, Stream call) {
        byToken.computeIfAbsent(token, t -> ConcurrentHashMap.newKeySet()).add(call);
    }

    void remove(String token, Stream call) {
        byToken.computeIfPresent(token, (t, calls) -> {
            calls.remove(call);
            return calls.isEmpty() ? null : calls;
        });
    }

    /** Ends the streams opened with {@code token}. */
    void endAll(String token, CloseReason reason) {
        Set<Stream> calls = byToken.remove(token);
        if (calls != null) {
            calls.forEach(call -> call.end(reason));
        }
    }

    /** Ends the streams opened by {@code username}, whatever token they used (e.g. once that user's tokens are revoked). */
    void endAllOf(String username, CloseReason reason) {
        for (String token : List.copyOf(byToken.keySet())) {
            Set<Stream> calls = byToken.get(token);
            if (calls == null) {
                continue;
            }
            for (Stream call : List.copyOf(calls)) {
                if (call.user().equals(username)) {
                    remove(token, call);
                    call.end(reason);
                }
            }
        }
    }

    /**
     * Ends the streams whose token is no longer valid (expired, or revoked by a logout, a password
     * change or a deletion made through another listener or node), as REST push streams do at each
     * heartbeat.
     */
    void endInvalid(java.util.function.Predicate<String> stillValid, CloseReason reason) {
        for (String token : List.copyOf(byToken.keySet())) {
            if (!stillValid.test(token)) {
                endAll(token, reason);
            }
        }
    }

    /** Ends every stream. */
    void endEverything(CloseReason reason) {
        for (String token : List.copyOf(byToken.keySet())) {
            endAll(token, reason);
        }
    }

    /** Number of open {@code Subscribe} streams. */
    int subscriptions() {
        return byToken.values().stream()
                .mapToInt(calls -> (int) calls.stream().filter(c -> c instanceof SubscribeCall).count()).sum();
    }
}
