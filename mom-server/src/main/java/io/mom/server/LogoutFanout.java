package io.mom.server;

import io.mom.core.Identity;
import io.mom.core.auth.Authenticator;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The authenticator shared by every listener of a node, which also tells the listeners when a token is
 * logged out, whichever listener took the logout: a REST logout thus ends the token's gRPC streams at
 * once. (REST push streams check their token on each heartbeat, so they end soon after a gRPC logout.)
 *
 * <p>Thread-safe. Listeners are called on the logging-out thread after the token is revoked and must
 * not block; one failing listener does not stop the others.
 */
final class LogoutFanout implements Authenticator {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(LogoutFanout.class);

    private final Authenticator delegate;
    private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();

    LogoutFanout(Authenticator delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    /** Calls {@code listener} with each token logged out from now on. */
    void onLogout(Consumer<String> listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    @Override
    public Session login(String username, String password) {
        return delegate.login(username, password);
    }

    @Override
    public Identity verify(String token) {
        return delegate.verify(token);
    }

    @Override
    public void logout(String token) {
        delegate.logout(token);
        for (Consumer<String> listener : listeners) {
            try {
                listener.accept(token);
            } catch (RuntimeException e) {
                log.warn("event=logout_listener_failed error={}", e.toString());
            }
        }
    }
}
