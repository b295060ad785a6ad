package io.mom.core;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Options of a queue or topic, validated on construction against the ranges of the API
 * (a value outside is {@link ErrorCode#INVALID_REQUEST} naming the option).
 *
 * @param partitions    1..64
 * @param ackTimeout    100 ms .. 12 h: lease of a delivery before it is redelivered
 * @param maxDeliveries 1..1000: deliveries before a message is dead-lettered
 * @param ttl           time to live of messages, if any (at least 1 ms)
 * @param maxLength     most messages kept, if bounded (at least 1)
 * @param overflow      what a full destination does with a new message
 */
public record DestinationOptions(int partitions, Duration ackTimeout, int maxDeliveries,
                                 Optional<Duration> ttl, Optional<Long> maxLength, Overflow overflow) {

    public static final Duration MIN_ACK_TIMEOUT = Duration.ofMillis(100);
    public static final Duration MAX_ACK_TIMEOUT = Duration.ofMillis(43_200_000);
    public static final DestinationOptions DEFAULTS = builder().build();

    public DestinationOptions {
        Objects.requireNonNull(ackTimeout, "ackTimeout");
        Objects.requireNonNull(ttl, "ttl");
        Objects.requireNonNull(maxLength, "maxLength");
        Objects.requireNonNull(overflow, "overflow");
        if (partitions < 1 || partitions > 64) {
            throw MomException.invalid("partitions must be between 1 and 64");
        }
        checkAckTimeout(ackTimeout);
        checkMaxDeliveries(maxDeliveries);
        if (ttl.isPresent() && ttl.get().toMillis() < 1) {
            throw MomException.invalid("ttlMs must be at least 1");
        }
        if (maxLength.isPresent() && maxLength.get() < 1) {
            throw MomException.invalid("maxLength must be at least 1");
        }
    }

    static void checkAckTimeout(Duration ackTimeout) {
        if (ackTimeout.compareTo(MIN_ACK_TIMEOUT) < 0 || ackTimeout.compareTo(MAX_ACK_TIMEOUT) > 0) {
            throw MomException.invalid("ackTimeoutMs must be between 100 and 43200000");
        }
    }

    static void checkMaxDeliveries(int maxDeliveries) {
        if (maxDeliveries < 1 || maxDeliveries > 1000) {
            throw MomException.invalid("maxDeliveries must be between 1 and 1000");
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder().partitions(partitions).ackTimeout(ackTimeout).maxDeliveries(maxDeliveries)
                .ttl(ttl.orElse(null)).maxLength(maxLength.orElse(null)).overflow(overflow);
    }

    /** Builder with the API defaults: 1 partition, 30 s ack timeout, 5 deliveries, no TTL, unbounded, reject. */
    public static final class Builder {
        private int partitions = 1;
        private Duration ackTimeout = Duration.ofSeconds(30);
        private int maxDeliveries = 5;
        private Duration ttl;
        private Long maxLength;
        private Overflow overflow = Overflow.REJECT;

        public Builder partitions(int partitions) {
            this.partitions = partitions;
            return this;
        }

        public Builder ackTimeout(Duration ackTimeout) {
            this.ackTimeout = ackTimeout;
            return this;
        }

        public Builder maxDeliveries(int maxDeliveries) {
            this.maxDeliveries = maxDeliveries;
            return this;
        }

        /** Time to live of each message; {@code null} for none. */
        public Builder ttl(Duration ttl) {
            this.ttl = ttl;
            return this;
        }

        /** Most messages kept; {@code null} for unbounded. */
        public Builder maxLength(Long maxLength) {
            this.maxLength = maxLength;
            return this;
        }

        public Builder overflow(Overflow overflow) {
            this.overflow = overflow;
            return this;
        }

        public DestinationOptions build() {
            return new DestinationOptions(partitions, ackTimeout, maxDeliveries,
                    Optional.ofNullable(ttl), Optional.ofNullable(maxLength), overflow);
        }
    }
}
