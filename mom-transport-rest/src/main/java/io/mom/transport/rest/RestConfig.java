package io.mom.transport.rest;

import io.mom.core.ConsumerOptions;
import io.mom.core.Limits;

import javax.net.ssl.SSLContext;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Settings of the REST listener.
 *
 * @param bindAddress    listen address
 * @param port           listen port; 0 picks a free one ({@link RestServer#port()} tells which)
 * @param tls            HTTPS when present
 * @param maxBodyBytes   largest request body, enforced while reading (413 above)
 * @param limits         message limits, the same as the broker's (payload, batch, headers)
 * @param heartbeat      time between {@code : ping} comments on push streams
 * @param defaultPrefetch prefetch of a push stream that does not ask for one
 */
public record RestConfig(String bindAddress, int port, Optional<SSLContext> tls, long maxBodyBytes, Limits limits,
                         Duration heartbeat, int defaultPrefetch) {

    public RestConfig {
        Objects.requireNonNull(bindAddress, "bindAddress");
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(heartbeat, "heartbeat");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be between 0 and 65535");
        }
        if (maxBodyBytes < 1) {
            throw new IllegalArgumentException("maxBodyBytes must be positive");
        }
        if (heartbeat.toMillis() < 1) {
            throw new IllegalArgumentException("heartbeat must be at least 1 ms");
        }
        if (defaultPrefetch < 1 || defaultPrefetch > ConsumerOptions.MAX_PREFETCH) {
            throw new IllegalArgumentException("defaultPrefetch must be between 1 and " + ConsumerOptions.MAX_PREFETCH);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builder with the documented defaults: 127.0.0.1:8080, plain HTTP, 16 MiB bodies, 15 s heartbeats. */
    public static final class Builder {
        private String bindAddress = "127.0.0.1";
        private int port = 8080;
        private SSLContext tls;
        private long maxBodyBytes = 16L << 20;
        private Limits limits = Limits.DEFAULTS;
        private Duration heartbeat = Duration.ofSeconds(15);
        private int defaultPrefetch = 100;

        public Builder bindAddress(String bindAddress) {
            this.bindAddress = bindAddress;
            return this;
        }

        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** Serve HTTPS with this context; {@code null} for plain HTTP. */
        public Builder tls(SSLContext tls) {
            this.tls = tls;
            return this;
        }

        public Builder maxBodyBytes(long maxBodyBytes) {
            this.maxBodyBytes = maxBodyBytes;
            return this;
        }

        public Builder limits(Limits limits) {
            this.limits = limits;
            return this;
        }

        public Builder heartbeat(Duration heartbeat) {
            this.heartbeat = heartbeat;
            return this;
        }

        public Builder defaultPrefetch(int defaultPrefetch) {
            this.defaultPrefetch = defaultPrefetch;
            return this;
        }

        public RestConfig build() {
            return new RestConfig(bindAddress, port, Optional.ofNullable(tls), maxBodyBytes, limits, heartbeat,
                    defaultPrefetch);
        }
    }
}
