package io.mom.transport.grpc;

import io.mom.grpc.v1.CloseReason;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The open {@code Subscribe} streams of one server, by the token that opened them, so that a logout
 * or a shutdown can end them with a {@code closed} event. Thread-safe.
 */
final class OpenStreams {
    private final ConcurrentHashMap<String, Set<SubscribeCall>> byToken = new ConcurrentHashMap<>();

    void add(String token, SubscribeCall call) {
        byToken.computeIfAbsent(token, t -> ConcurrentHashMap.newKeySet()).add(call);
    }

    void remove(String token, SubscribeCall call) {
        byToken.computeIfPresent(token, (t, calls) -> {
            calls.remove(call);
            return calls.isEmpty() ? null : calls;
        });
    }

    /** Ends the streams opened with {@code token}. */
    void endAll(String token, CloseReason reason) {
        Set<SubscribeCall> calls = byToken.remove(token);
        if (calls != null) {
            calls.forEach(call -> call.terminate(reason));
        }
    }

    /** Ends every stream. */
    void endEverything(CloseReason reason) {
        for (String token : List.copyOf(byToken.keySet())) {
            endAll(token, reason);
        }
    }

    int size() {
        return byToken.values().stream().mapToInt(Set::size).sum();
    }
}
