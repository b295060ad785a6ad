package io.mom.client;

import io.mom.client.impl.ClientFactory;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import javax.net.ssl.SSLContext;

/**
 * Configures a {@link MomClient}:
 * <pre>{@code
 * MomClient client = MomClient.builder()
 *         .url("http://127.0.0.1:8080")
 *         .credentials("alice", "secret")
 *         .requestTimeout(Duration.ofSeconds(10))
 *         .build();
 * }</pre>
 * Only {@link #url} is required. Defaults: connect timeout 5 s, request timeout 30 s, reconnect
 * backoff from 200 ms doubling up to 30 s, stream idle timeout 45 s. Supported URL schemes: {@code http}, {@code https}
 * (REST); {@code grpc} and {@code grpcs} (gRPC; port 9090 when the URL has none).
 * Not thread-safe; {@link #build()} validates the settings and may be called more than once.
 */
public final class MomClientBuilder {
    /** Every scheme a client URL may have. */
    public static final Set<String> SCHEMES = Set.of("http", "https", "grpc", "grpcs");

    private String url;
    private String username;
    private String password;
    private String token;
    private Duration connectTimeout = Duration.ofSeconds(5);
    private Duration requestTimeout = Duration.ofSeconds(30);
    private Duration reconnectInitial = Duration.ofMillis(200);
    private Duration reconnectMax = Duration.ofSeconds(30);
    private Duration streamIdleTimeout = Duration.ofSeconds(45);
    private SSLContext sslContext;
    private boolean followLoadHints = true;

    MomClientBuilder() {
    }

    /** The server URL, for example {@code http://127.0.0.1:8080}; its scheme picks the transport. */
    public MomClientBuilder url(String url) {
        this.url = Objects.requireNonNull(url, "url");
        return this;
    }

    /** The user to log in as; the client logs in on demand and again once when a token is rejected. */
    public MomClientBuilder credentials(String username, String password) {
        this.username = Objects.requireNonNull(username, "username");
        this.password = Objects.requireNonNull(password, "password");
        return this;
    }

    /** A token issued earlier, used instead of logging in until the server rejects it. */
    public MomClientBuilder token(String token) {
        this.token = Objects.requireNonNull(token, "token");
        return this;
    }

    /** Limit on opening a connection (default 5 s). */
    public MomClientBuilder connectTimeout(Duration connectTimeout) {
        this.connectTimeout = Objects.requireNonNull(connectTimeout, "connectTimeout");
        return this;
    }

    /** Limit on one call, on top of a receive's own wait time (default 30 s). */
    public MomClientBuilder requestTimeout(Duration requestTimeout) {
        this.requestTimeout = Objects.requireNonNull(requestTimeout, "requestTimeout");
        return this;
    }

    /**
     * Delays between reconnect attempts of push subscriptions: the first waits about {@code initial},
     * each further one twice as long, never more than {@code max}; each delay is randomised between
     * half and all of its value so that many clients do not reconnect in step. Defaults 200 ms and 30 s.
     */
    public MomClientBuilder reconnectBackoff(Duration initial, Duration max) {
        this.reconnectInitial = Objects.requireNonNull(initial, "initial");
        this.reconnectMax = Objects.requireNonNull(max, "max");
        return this;
    }

    /**
     * How long a push stream may stay silent before the client treats the connection as lost and
     * reconnects (default 45 s, three of the server's default 15 s heartbeats). Catches connections
     * that died without being closed. Over gRPC the connection is pinged every third of it (at least
     * every 10 s) and fails when a ping goes unanswered as long.
     */
    public MomClientBuilder streamIdleTimeout(Duration streamIdleTimeout) {
        this.streamIdleTimeout = Objects.requireNonNull(streamIdleTimeout, "streamIdleTimeout");
        return this;
    }

    /** TLS settings for {@code https://} and {@code grpcs://} URLs (default: the JVM's). */
    public MomClientBuilder sslContext(SSLContext sslContext) {
        this.sslContext = Objects.requireNonNull(sslContext, "sslContext");
        return this;
    }

    /**
     * Whether to move to the {@code preferredNode} a cluster node names at login when it is above its load
     * threshold (default true). Push streams follow a node's {@code 307} redirect either way.
     */
    public MomClientBuilder followLoadHints(boolean follow) {
        this.followLoadHints = follow;
        return this;
    }

    /** Validates the settings; {@link IllegalArgumentException} names the first bad one. */
    public ClientOptions options() {
        if (url == null) {
            throw new IllegalArgumentException("url is required");
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("invalid url: " + url, e);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!SCHEMES.contains(scheme)) {
            throw new IllegalArgumentException("url scheme must be one of " + SCHEMES + ": " + url);
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("url needs a host: " + url);
        }
        requirePositive(connectTimeout, "connectTimeout");
        requirePositive(requestTimeout, "requestTimeout");
        requirePositive(reconnectInitial, "reconnect initial delay");
        requirePositive(streamIdleTimeout, "streamIdleTimeout");
        if (reconnectMax.compareTo(reconnectInitial) < 0) {
            throw new IllegalArgumentException("reconnect max delay must be at least the initial delay");
        }
        return new ClientOptions(uri, Optional.ofNullable(username), Optional.ofNullable(password),
                Optional.ofNullable(token), connectTimeout, requestTimeout, reconnectInitial, reconnectMax,
                streamIdleTimeout, Optional.ofNullable(sslContext), followLoadHints);
    }

    /** Validates the settings and returns a client; opens no connection yet. */
    public MomClient build() {
        return ClientFactory.create(options());
    }

    private static void requirePositive(Duration d, String name) {
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + d);
        }
    }
}
