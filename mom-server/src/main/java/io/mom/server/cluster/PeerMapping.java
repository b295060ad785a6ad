package io.mom.server.cluster;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import io.mom.core.AckMode;
import io.mom.core.CloseReason;
import io.mom.core.Delivery;
import io.mom.core.DestinationType;
import io.mom.core.Overflow;
import io.mom.core.SubscriptionRef;
import io.mom.grpc.v1.DestinationInfo;
import io.mom.grpc.v1.DestinationOptions;
import io.mom.grpc.v1.DestinationRef;
import io.mom.grpc.v1.Message;
import io.mom.grpc.v1.OutgoingMessage;
import io.mom.grpc.v1.SubscriptionInfo;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** Translates between the core types and the client gRPC API for forwarded calls. Stateless. */
final class PeerMapping {
    private PeerMapping() {
    }

    static DestinationRef ref(io.mom.core.DestinationRef ref) {
        return DestinationRef.newBuilder()
                .setType(ref.type() == DestinationType.QUEUE ? io.mom.grpc.v1.DestinationType.DESTINATION_TYPE_QUEUE
                        : io.mom.grpc.v1.DestinationType.DESTINATION_TYPE_TOPIC)
                .setName(ref.name()).build();
    }

    static io.mom.grpc.v1.SubscriptionRef ref(SubscriptionRef ref) {
        io.mom.grpc.v1.SubscriptionRef.Builder b = io.mom.grpc.v1.SubscriptionRef.newBuilder()
                .setDestination(ref(ref.destination()));
        if (ref.destination().type() == DestinationType.TOPIC) {
            b.setSubscription(ref.subscription());
        }
        return b.build();
    }

    static DestinationOptions options(io.mom.core.DestinationOptions o) {
        DestinationOptions.Builder b = DestinationOptions.newBuilder()
                .setPartitions(o.partitions())
                .setAckTimeoutMs(o.ackTimeout().toMillis())
                .setMaxDeliveries(o.maxDeliveries())
                .setOverflow(o.overflow() == Overflow.REJECT ? io.mom.grpc.v1.Overflow.OVERFLOW_REJECT
                        : io.mom.grpc.v1.Overflow.OVERFLOW_DROP_OLDEST);
        o.ttl().ifPresent(ttl -> b.setTtlMs(ttl.toMillis()));
        o.maxLength().ifPresent(b::setMaxLength);
        return b.build();
    }

    static io.mom.core.DestinationOptions options(DestinationOptions p) {
        return io.mom.core.DestinationOptions.builder()
                .partitions(p.getPartitions())
                .ackTimeout(Duration.ofMillis(p.getAckTimeoutMs()))
                .maxDeliveries(p.getMaxDeliveries())
                .ttl(p.hasTtlMs() ? Duration.ofMillis(p.getTtlMs()) : null)
                .maxLength(p.hasMaxLength() ? p.getMaxLength() : null)
                .overflow(p.getOverflow() == io.mom.grpc.v1.Overflow.OVERFLOW_DROP_OLDEST ? Overflow.DROP_OLDEST
                        : Overflow.REJECT)
                .build();
    }

    static io.mom.core.DestinationInfo info(DestinationInfo p) {
        DestinationRef r = p.getDestination();
        io.mom.core.DestinationRef ref = new io.mom.core.DestinationRef(
                r.getType() == io.mom.grpc.v1.DestinationType.DESTINATION_TYPE_TOPIC ? DestinationType.TOPIC
                        : DestinationType.QUEUE, r.getName());
        return new io.mom.core.DestinationInfo(ref, p.getOwner(), options(p.getOptions()), instant(p.getCreatedAt()),
                p.getDepth(), p.getInFlight(), p.getConsumers(), p.getSubscriptions());
    }

    static io.mom.core.SubscriptionInfo info(SubscriptionInfo p) {
        return new io.mom.core.SubscriptionInfo(SubscriptionRef.topic(p.getTopic(), p.getName()), p.getOwner(),
                io.mom.core.SubscriptionOptions.DEFAULTS, instant(p.getCreatedAt()), p.getPending(), p.getInFlight(),
                p.getConsumers());
    }

    static io.mom.grpc.v1.SubscriptionOptions options(io.mom.core.SubscriptionOptions o) {
        io.mom.grpc.v1.SubscriptionOptions.Builder b = io.mom.grpc.v1.SubscriptionOptions.newBuilder();
        o.ackTimeout().ifPresent(t -> b.setAckTimeoutMs(t.toMillis()));
        o.maxDeliveries().ifPresent(b::setMaxDeliveries);
        return b.build();
    }

    static OutgoingMessage outgoing(io.mom.core.OutgoingMessage m) {
        OutgoingMessage.Builder b = OutgoingMessage.newBuilder()
                .setPayload(ByteString.copyFrom(m.payload()))
                .putAllHeaders(m.headers());
        m.id().ifPresent(b::setId);
        m.key().ifPresent(b::setKey);
        m.ttl().ifPresent(ttl -> b.setTtlMs(ttl.toMillis()));
        return b.build();
    }

    static Delivery delivery(SubscriptionRef ref, Message m) {
        io.mom.core.Message message = new io.mom.core.Message(m.getId(), m.getDestination(), m.getPartition(), 0,
                m.getPayload().toByteArray(), m.getHeadersMap(),
                m.hasKey() ? Optional.of(m.getKey()) : Optional.empty(), m.getSender(), instant(m.getPublishedAt()),
                m.hasExpiresAt() ? Optional.of(instant(m.getExpiresAt())) : Optional.empty());
        return new Delivery(ref, message, m.getDeliveryCount(),
                m.getReceipt().isEmpty() ? Optional.empty() : Optional.of(m.getReceipt()));
    }

    static CloseReason closeReason(io.mom.grpc.v1.CloseReason reason) {
        switch (reason) {
            case CLOSE_REASON_DELETED:
                return CloseReason.DELETED;
            case CLOSE_REASON_UNSUBSCRIBED:
                return CloseReason.UNSUBSCRIBED;
            case CLOSE_REASON_BROKER_STOPPED:
                return CloseReason.BROKER_STOPPED;
            default:
                return CloseReason.FAILED;
        }
    }

    static boolean autoAck(AckMode mode) {
        return mode == AckMode.AUTO;
    }

    static Instant instant(Timestamp t) {
        return Instant.ofEpochSecond(t.getSeconds(), t.getNanos());
    }
}
