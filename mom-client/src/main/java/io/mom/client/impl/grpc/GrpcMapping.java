package io.mom.client.impl.grpc;

import com.google.protobuf.Timestamp;
import com.google.protobuf.UnsafeByteOperations;
import io.mom.client.Destination;
import io.mom.client.DestinationInfo;
import io.mom.client.DestinationOptions;
import io.mom.client.DestinationType;
import io.mom.client.OutgoingMessage;
import io.mom.client.Overflow;
import io.mom.client.Source;
import io.mom.client.SubscriptionInfo;
import io.mom.client.SubscriptionOptions;
import io.mom.client.impl.Delivery;
import io.mom.grpc.v1.DestinationRef;
import io.mom.grpc.v1.Message;
import io.mom.grpc.v1.SubscriptionRef;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Translates between the client's values and the {@code mom.v1} protobuf messages. Stateless. */
final class GrpcMapping {
    private GrpcMapping() {
    }

    static DestinationRef ref(Destination d) {
        return DestinationRef.newBuilder().setType(type(d.type())).setName(d.name()).build();
    }

    static io.mom.grpc.v1.DestinationType type(DestinationType type) {
        return type == DestinationType.QUEUE ? io.mom.grpc.v1.DestinationType.DESTINATION_TYPE_QUEUE
                : io.mom.grpc.v1.DestinationType.DESTINATION_TYPE_TOPIC;
    }

    static SubscriptionRef source(Source s) {
        SubscriptionRef.Builder b = SubscriptionRef.newBuilder().setDestination(ref(s.destination()));
        s.subscription().ifPresent(b::setSubscription);
        return b.build();
    }

    static io.mom.grpc.v1.DestinationOptions options(DestinationOptions o) {
        io.mom.grpc.v1.DestinationOptions.Builder b = io.mom.grpc.v1.DestinationOptions.newBuilder();
        o.partitions().ifPresent(b::setPartitions);
        o.ackTimeout().ifPresent(d -> b.setAckTimeoutMs(d.toMillis()));
        o.maxDeliveries().ifPresent(b::setMaxDeliveries);
        o.ttl().ifPresent(d -> b.setTtlMs(d.toMillis()));
        o.maxLength().ifPresent(b::setMaxLength);
        o.overflow().ifPresent(v -> b.setOverflow(v == Overflow.DROP_OLDEST
                ? io.mom.grpc.v1.Overflow.OVERFLOW_DROP_OLDEST : io.mom.grpc.v1.Overflow.OVERFLOW_REJECT));
        return b.build();
    }

    static io.mom.grpc.v1.SubscriptionOptions options(SubscriptionOptions o) {
        io.mom.grpc.v1.SubscriptionOptions.Builder b = io.mom.grpc.v1.SubscriptionOptions.newBuilder();
        o.ackTimeout().ifPresent(d -> b.setAckTimeoutMs(d.toMillis()));
        o.maxDeliveries().ifPresent(b::setMaxDeliveries);
        return b.build();
    }

    static List<io.mom.grpc.v1.OutgoingMessage> outgoing(List<OutgoingMessage> messages) {
        List<io.mom.grpc.v1.OutgoingMessage> out = new ArrayList<>(messages.size());
        for (OutgoingMessage m : messages) {
            out.add(outgoing(m));
        }
        return out;
    }

    static io.mom.grpc.v1.OutgoingMessage outgoing(OutgoingMessage m) {
        io.mom.grpc.v1.OutgoingMessage.Builder b = io.mom.grpc.v1.OutgoingMessage.newBuilder()
                // payload() is already a private copy: no need to copy it again
                .setPayload(UnsafeByteOperations.unsafeWrap(m.payload()));
        if (!m.headers().isEmpty()) {
            b.putAllHeaders(m.headers()); // skipped when empty: it costs even then
        }
        m.id().ifPresent(b::setId);
        m.key().ifPresent(b::setKey);
        m.ttl().ifPresent(d -> b.setTtlMs(d.toMillis()));
        return b.build();
    }

    static Delivery delivery(Message m) {
        Instant published = instant(m.getPublishedAt());
        Optional<Duration> ttl = m.hasExpiresAt()
                ? Optional.of(Duration.between(published, instant(m.getExpiresAt()))) : Optional.empty();
        return new Delivery(m.getId(), m.getPayload().toByteArray(), m.getHeadersCount() == 0 ? Map.of() : m.getHeadersMap(),
                m.hasKey() ? Optional.of(m.getKey()) : Optional.empty(), ttl, m.getSender(), published,
                m.getDeliveryCount(), m.getReceipt().isEmpty() ? Optional.empty() : Optional.of(m.getReceipt()));
    }

    static DestinationInfo info(io.mom.grpc.v1.DestinationInfo i) {
        io.mom.grpc.v1.DestinationOptions p = i.getOptions();
        DestinationOptions.Builder o = DestinationOptions.builder();
        if (p.hasPartitions()) {
            o.partitions(p.getPartitions());
        }
        if (p.hasAckTimeoutMs()) {
            o.ackTimeout(Duration.ofMillis(p.getAckTimeoutMs()));
        }
        if (p.hasMaxDeliveries()) {
            o.maxDeliveries(p.getMaxDeliveries());
        }
        if (p.hasTtlMs()) {
            o.ttl(Duration.ofMillis(p.getTtlMs()));
        }
        if (p.hasMaxLength()) {
            o.maxLength(p.getMaxLength());
        }
        if (p.getOverflow() != io.mom.grpc.v1.Overflow.OVERFLOW_UNSPECIFIED) {
            o.overflow(p.getOverflow() == io.mom.grpc.v1.Overflow.OVERFLOW_DROP_OLDEST
                    ? Overflow.DROP_OLDEST : Overflow.REJECT);
        }
        DestinationType type = i.getDestination().getType() == io.mom.grpc.v1.DestinationType.DESTINATION_TYPE_TOPIC
                ? DestinationType.TOPIC : DestinationType.QUEUE;
        return new DestinationInfo(new Destination(type, i.getDestination().getName()), i.getOwner(),
                p.hasPartitions() ? p.getPartitions() : 1, i.getDepth(), i.getInFlight(), i.getConsumers(),
                i.getSubscriptions(), i.hasCreatedAt() ? instant(i.getCreatedAt()) : Instant.EPOCH, o.build());
    }

    static SubscriptionInfo info(io.mom.grpc.v1.SubscriptionInfo s) {
        return new SubscriptionInfo(s.getTopic(), s.getName(), s.getOwner(), s.getPending(), s.getInFlight(),
                s.getConsumers());
    }

    static Instant instant(Timestamp t) {
        return Instant.ofEpochSecond(t.getSeconds(), t.getNanos());
    }
}
