package io.mom.client;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.SSLContext;

/**
 * The validated settings of a {@link MomClient}, produced by {@link MomClientBuilder#options()}.
 * Immutable; {@link #toString()} hides the password and token.
 *
 * @param url              server URL; its scheme picks the transport
 * @param username         login user name (with {@code password})
 * @param password         login password
 * @param token            a token issued earlier, used until the server rejects it
 * @param connectTimeout   limit on opening a connection
 * @param requestTimeout   limit on one call (a receive adds its wait time)
 * @param reconnectInitial first delay before a push subscription reconnects
 * @param reconnectMax     cap of the reconnect delay
 * @param streamIdleTimeout a push stream that receives nothing (not even the server's heartbeat) for
 *                         this long counts as lost and is reconnected
 * @param sslContext       TLS settings for {@code https://}; the JVM default when empty
 * @param followLoadHints  after a login that names a {@code preferredNode} (a cluster node above its load
 *                         threshold), send every later call to that node (REST only; default true)
 */
public record ClientOptions(URI url, Optional<String> username, Optional<String> password, Optional<String> token,
                            Duration connectTimeout, Duration requestTimeout, Duration reconnectInitial,
                            Duration reconnectMax, Duration streamIdleTimeout, Optional<SSLContext> sslContext,
                            boolean followLoadHints) {
    public ClientOptions {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        Objects.requireNonNull(reconnectInitial, "reconnectInitial");
        Objects.requireNonNull(reconnectMax, "reconnectMax");
        Objects.requireNonNull(streamIdleTimeout, "streamIdleTimeout");
        Objects.requireNonNull(sslContext, "sslContext");
    }

    /** True when the client can log in by itself. */
    public boolean hasCredentials() {
        return username.isPresent() && password.isPresent();
    }

    @Override
    public String toString() {
        return "ClientOptions[url=" + url + ", username=" + username.orElse("-")
                + ", token=" + (token.isPresent() ? "***" : "-") + ", connectTimeout=" + connectTimeout
                + ", requestTimeout=" + requestTimeout + ", reconnect=" + reconnectInitial + ".." + reconnectMax
                + ", streamIdleTimeout=" + streamIdleTimeout + ", followLoadHints=" + followLoadHints + "]";
    }
}
