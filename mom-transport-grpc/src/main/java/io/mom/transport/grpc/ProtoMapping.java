package io.mom.transport.grpc;

import com.google.protobuf.Timestamp;
import com.google.protobuf.UnsafeByteOperations;
import io.mom.core.Delivery;
import io.mom.core.DestinationType;
import io.mom.core.MomException;
import io.mom.core.Overflow;
import io.mom.core.Role;
import io.mom.grpc.v1.CloseReason;
import io.mom.grpc.v1.DestinationInfo;
import io.mom.grpc.v1.DestinationOptions;
import io.mom.grpc.v1.DestinationRef;
import io.mom.grpc.v1.Message;
import io.mom.grpc.v1.OutgoingMessage;
import io.mom.grpc.v1.SubscriptionInfo;
import io.mom.grpc.v1.SubscriptionOptions;
import io.mom.grpc.v1.SubscriptionRef;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Translates between the protobuf messages of {@code mom.v1} and the core's records. Holds no rules of
 * its own beyond shape checks (required fields, enum values); ranges are checked by the core records,
 * so gRPC and REST reject the same values with the same codes. Stateless.
 */
final class ProtoMapping {
    private ProtoMapping() {
    }

    // ---- requests: proto -> core

    static io.mom.core.DestinationRef destination(boolean present, DestinationRef ref, String field) {
        if (!present) {
            throw MomException.invalid(field + " is required");
        }
        return new io.mom.core.DestinationRef(type(ref.getType(), field + ".type"), ref.getName());
    }

    static DestinationType type(io.mom.grpc.v1.DestinationType type, String field) {
        if (type == io.mom.grpc.v1.DestinationType.DESTINATION_TYPE_QUEUE) {
            return DestinationType.QUEUE;
        }
        if (type == io.mom.grpc.v1.DestinationType.DESTINATION_TYPE_TOPIC) {
            return DestinationType.TOPIC;
        }
        throw MomException.invalid(field + " must be DESTINATION_TYPE_QUEUE or DESTINATION_TYPE_TOPIC");
    }

    static io.mom.core.SubscriptionRef source(boolean present, SubscriptionRef ref) {
        if (!present) {
            throw MomException.invalid("source is required");
        }
        io.mom.core.DestinationRef destination = destination(ref.hasDestination(), ref.getDestination(),
                "source.destination");
        if (destination.type() == DestinationType.QUEUE) {
            if (!ref.getSubscription().isEmpty()) {
                throw MomException.invalid("source.subscription must be empty for a queue");
            }
            return new io.mom.core.SubscriptionRef(destination, io.mom.core.SubscriptionRef.QUEUE_SUBSCRIPTION);
        }
        return new io.mom.core.SubscriptionRef(destination, ref.getSubscription());
    }

    static io.mom.core.SubscriptionRef topicSubscription(String topic, String name) {
        return io.mom.core.SubscriptionRef.topic(topic, name);
    }

    static io.mom.core.DestinationOptions options(DestinationOptions p) {
        io.mom.core.DestinationOptions.Builder b = io.mom.core.DestinationOptions.builder();
        if (p.hasPartitions()) {
            b.partitions(p.getPartitions());
        }
        if (p.hasAckTimeoutMs()) {
            b.ackTimeout(Duration.ofMillis(p.getAckTimeoutMs()));
        }
        if (p.hasMaxDeliveries()) {
            b.maxDeliveries(p.getMaxDeliveries());
        }
        if (p.hasTtlMs()) {
            b.ttl(Duration.ofMillis(p.getTtlMs()));
        }
        if (p.hasMaxLength()) {
            b.maxLength(p.getMaxLength());
        }
        switch (p.getOverflow()) {
            case OVERFLOW_UNSPECIFIED, OVERFLOW_REJECT -> b.overflow(Overflow.REJECT);
            case OVERFLOW_DROP_OLDEST -> b.overflow(Overflow.DROP_OLDEST);
            default -> throw MomException.invalid("options.overflow is not a known value");
        }
        return b.build();
    }

    static io.mom.core.SubscriptionOptions subscriptionOptions(SubscriptionOptions p) {
        return new io.mom.core.SubscriptionOptions(
                p.hasAckTimeoutMs() ? Optional.of(Duration.ofMillis(p.getAckTimeoutMs())) : Optional.empty(),
                p.hasMaxDeliveries() ? Optional.of(p.getMaxDeliveries()) : Optional.empty());
    }

    static List<io.mom.core.OutgoingMessage> outgoing(List<OutgoingMessage> messages) {
        List<io.mom.core.OutgoingMessage> out = new ArrayList<>(messages.size());
        for (OutgoingMessage m : messages) {
            out.add(new io.mom.core.OutgoingMessage(
                    m.hasId() ? Optional.of(m.getId()) : Optional.empty(),
                    m.getPayload().toByteArray(),
                    m.getHeadersMap(),
                    m.hasKey() ? Optional.of(m.getKey()) : Optional.empty(),
                    m.hasTtlMs() ? Optional.of(Duration.ofMillis(m.getTtlMs())) : Optional.empty()));
        }
        return out;
    }

    // ---- responses: core -> proto

    static Message message(Delivery d) {
        io.mom.core.Message m = d.message();
        Message.Builder b = Message.newBuilder()
                .setId(m.id())
                // The core never modifies a stored payload, so it can be sent without a copy.
                .setPayload(UnsafeByteOperations.unsafeWrap(m.payload()))
                .putAllHeaders(m.headers())
                .setSender(m.sender())
                .setPublishedAt(timestamp(m.publishedAt()))
                .setDeliveryCount(d.deliveryCount())
                .setDestination(m.destination())
                .setPartition(m.partition());
        m.key().ifPresent(b::setKey);
        m.expiresAt().ifPresent(at -> b.setExpiresAt(timestamp(at)));
        d.receipt().ifPresent(b::setReceipt);
        if (d.subscription().destination().type() == DestinationType.TOPIC) {
            b.setSubscription(d.subscription().subscription());
        }
        return b.build();
    }

    static DestinationRef ref(io.mom.core.DestinationRef ref) {
        return DestinationRef.newBuilder()
                .setType(ref.type() == DestinationType.QUEUE ? io.mom.grpc.v1.DestinationType.DESTINATION_TYPE_QUEUE
                        : io.mom.grpc.v1.DestinationType.DESTINATION_TYPE_TOPIC)
                .setName(ref.name())
                .build();
    }

    static DestinationInfo info(io.mom.core.DestinationInfo info) {
        return DestinationInfo.newBuilder()
                .setDestination(ref(info.ref()))
                .setOwner(info.owner())
                .setOptions(options(info.options()))
                .setCreatedAt(timestamp(info.createdAt()))
                .setDepth(info.depth())
                .setInFlight(info.inFlight())
                .setConsumers(info.consumers())
                .setSubscriptions(info.subscriptions())
                .build();
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

    static SubscriptionInfo info(io.mom.core.SubscriptionInfo info) {
        return SubscriptionInfo.newBuilder()
                .setTopic(info.ref().destination().name())
                .setName(info.ref().subscription())
                .setOwner(info.owner())
                .setPending(info.pending())
                .setInFlight(info.inFlight())
                .setConsumers(info.consumers())
                .setCreatedAt(timestamp(info.createdAt()))
                .build();
    }

    static List<String> roles(Set<Role> roles) {
        return roles.stream().map(r -> r.name().toLowerCase(Locale.ROOT)).sorted().toList();
    }

    static CloseReason closeReason(io.mom.core.CloseReason reason) {
        return switch (reason) {
            case DELETED -> CloseReason.CLOSE_REASON_DELETED;
            case UNSUBSCRIBED -> CloseReason.CLOSE_REASON_UNSUBSCRIBED;
            case BROKER_STOPPED -> CloseReason.CLOSE_REASON_BROKER_STOPPED;
            case FAILED -> CloseReason.CLOSE_REASON_FAILED;
            case CLOSED -> CloseReason.CLOSE_REASON_UNSPECIFIED;
        };
    }

    static Timestamp timestamp(Instant at) {
        return Timestamp.newBuilder().setSeconds(at.getEpochSecond()).setNanos(at.getNano()).build();
    }
}
