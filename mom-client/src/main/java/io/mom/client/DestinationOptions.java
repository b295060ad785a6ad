package io.mom.client;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Options of a queue or topic. Each absent value is left to the server's default (1 partition,
 * 30 s ack timeout, 5 deliveries, no TTL, unbounded, {@link Overflow#REJECT}); the server checks the
 * ranges and answers {@link InvalidRequestException} for a value outside them.
 *
 * @param partitions    1..64
 * @param ackTimeout    lease of a delivery before it is redelivered, 100 ms .. 12 h
 * @param maxDeliveries deliveries before a message moves to the dead-letter queue, 1..1000
 * @param ttl           time to live of each message, at least 1 ms
 * @param maxLength     most messages kept, at least 1
 * @param overflow      what a full destination does with a new message
 */
public record DestinationOptions(Optional<Integer> partitions, Optional<Duration> ackTimeout,
                                 Optional<Integer> maxDeliveries, Optional<Duration> ttl,
                                 Optional<Long> maxLength, Optional<Overflow> overflow) {

    /** No option set: every value is the server's default. */
    public static final DestinationOptions DEFAULTS = builder().build();

    public DestinationOptions {
        Objects.requireNonNull(partitions, "partitions");
        Objects.requireNonNull(ackTimeout, "ackTimeout");
        Objects.requireNonNull(maxDeliveries, "maxDeliveries");
        Objects.requireNonNull(ttl, "ttl");
        Objects.requireNonNull(maxLength, "maxLength");
        Objects.requireNonNull(overflow, "overflow");
    }

    /** A builder with no option set. */
    public static Builder builder() {
        return new Builder();
    }

    /** True when no option is set. */
    public boolean isEmpty() {
        return this.equals(DEFAULTS);
    }

    /** Builds {@link DestinationOptions}; not thread-safe. A {@code null} argument unsets the option. */
    public static final class Builder {
        private Integer partitions;
        private Duration ackTimeout;
        private Integer maxDeliveries;
        private Duration ttl;
        private Long maxLength;
        private Overflow overflow;

        private Builder() {
        }

        public Builder partitions(Integer partitions) {
            this.partitions = partitions;
            return this;
        }

        public Builder ackTimeout(Duration ackTimeout) {
            this.ackTimeout = ackTimeout;
            return this;
        }

        public Builder maxDeliveries(Integer maxDeliveries) {
            this.maxDeliveries = maxDeliveries;
            return this;
        }

        public Builder ttl(Duration ttl) {
            this.ttl = ttl;
            return this;
        }

        public Builder maxLength(Long maxLength) {
            this.maxLength = maxLength;
            return this;
        }

        public Builder overflow(Overflow overflow) {
            this.overflow = overflow;
            return this;
        }

        public DestinationOptions build() {
            return new DestinationOptions(Optional.ofNullable(partitions), Optional.ofNullable(ackTimeout),
                    Optional.ofNullable(maxDeliveries), Optional.ofNullable(ttl),
                    Optional.ofNullable(maxLength), Optional.ofNullable(overflow));
        }
    }
}
