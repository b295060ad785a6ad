package io.mom.transport.rest.internal.sse;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The open push streams of this server, by bearer token, so that a logout closes the streams of its
 * token and a shutdown closes them all. Thread-safe.
 */
public final class Streams {
    private final ConcurrentHashMap<String, Set<StreamSession>> byToken = new ConcurrentHashMap<>();

    public void add(StreamSession session) {
        byToken.computeIfAbsent(session.token(), t -> ConcurrentHashMap.newKeySet()).add(session);
    }

    public void remove(StreamSession session) {
        byToken.computeIfPresent(session.token(), (t, set) -> {
            set.remove(session);
            return set.isEmpty() ? null : set;
        });
    }

    /** Closes every stream opened with this token. */
    public void closeToken(String token) {
        Set<StreamSession> sessions = byToken.remove(token);
        if (sessions != null) {
            sessions.forEach(StreamSession::close);
        }
    }

    public void closeAll() {
        for (String token : List.copyOf(byToken.keySet())) {
            closeToken(token);
        }
    }

    public int size() {
        return byToken.values().stream().mapToInt(Set::size).sum();
    }
}
