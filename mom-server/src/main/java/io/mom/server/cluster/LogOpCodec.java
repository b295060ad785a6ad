package io.mom.server.cluster;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import io.mom.core.DestinationOptions;
import io.mom.core.DestinationType;
import io.mom.core.Message;
import io.mom.core.Overflow;
import io.mom.core.SubscriptionOptions;
import io.mom.core.spi.DestinationRecord;
import io.mom.core.spi.LogOp;
import io.mom.core.spi.SubscriptionRecord;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Binary encoding of log operations for replication (the {@code ops} field of
 * {@code mom.internal.v1.ReplicateRequest}): a version byte, a count, then each operation as a tag
 * byte and its fields ({@link java.io.DataOutputStream} types, see {@link OpBytes}; optionals as a
 * presence byte). Stateless.
 */
final class LogOpCodec {
    private static final int VERSION = 1;

    private LogOpCodec() {
    }

    static byte[] encode(List<LogOp> ops) {
        OpBytes.Out out = sized(ops);
        return Arrays.copyOf(out.buffer(), out.size());
    }

    /** The encoding as a {@link ByteString}, without copying it again. */
    static ByteString encodeToByteString(List<LogOp> ops) {
        OpBytes.Out out = sized(ops);
        return UnsafeByteOperations.unsafeWrap(out.buffer(), 0, out.size());
    }

    private static OpBytes.Out sized(List<LogOp> ops) {
        long estimate = 16;
        for (LogOp op : ops) {
            estimate += op instanceof LogOp.Append ? ((LogOp.Append) op).message().payload().length + 256 : 96;
        }
        OpBytes.Out out = new OpBytes.Out((int) Math.min(estimate, Integer.MAX_VALUE - 64));
        out.writeByte(VERSION);
        out.writeInt(ops.size());
        for (LogOp op : ops) {
            write(out, op);
        }
        return out;
    }

    static List<LogOp> decode(byte[] data) {
        return decode(ByteBuffer.wrap(data));
    }

    /** Decodes without copying {@code data} first. */
    static List<LogOp> decode(ByteString data) {
        return decode(data.asReadOnlyByteBuffer());
    }

    private static List<LogOp> decode(ByteBuffer data) {
        try {
            OpBytes.In in = new OpBytes.In(data);
            if (in.readByte() != VERSION) {
                throw new IllegalArgumentException("unknown log encoding version");
            }
            int count = in.readInt();
            List<LogOp> ops = new ArrayList<>(Math.max(0, Math.min(count, 10_000)));
            for (int i = 0; i < count; i++) {
                ops.add(read(in));
            }
            return ops;
        } catch (IOException e) {
            throw new IllegalArgumentException("malformed log operations", e);
        }
    }

    private static void write(OpBytes.Out out, LogOp op) {
        if (op instanceof LogOp.PutDestination) {
            DestinationRecord d = ((LogOp.PutDestination) op).destination();
            out.writeByte(1);
            out.writeUTF(d.type().name());
            out.writeUTF(d.name());
            out.writeUTF(d.owner());
            DestinationOptions o = d.options();
            out.writeInt(o.partitions());
            out.writeLong(o.ackTimeout().toMillis());
            out.writeInt(o.maxDeliveries());
            writeLong(out, o.ttl().map(Duration::toMillis));
            writeLong(out, o.maxLength());
            out.writeUTF(o.overflow().name());
            instant(out, d.createdAt());
        } else if (op instanceof LogOp.DeleteDestination) {
            LogOp.DeleteDestination d = (LogOp.DeleteDestination) op;
            out.writeByte(2);
            out.writeUTF(d.type().name());
            out.writeUTF(d.name());
        } else if (op instanceof LogOp.PutSubscription) {
            SubscriptionRecord s = ((LogOp.PutSubscription) op).subscription();
            out.writeByte(3);
            out.writeUTF(s.topic());
            out.writeUTF(s.name());
            out.writeUTF(s.owner());
            writeLong(out, s.options().ackTimeout().map(Duration::toMillis));
            writeLong(out, s.options().maxDeliveries().map(Integer::longValue));
            instant(out, s.createdAt());
        } else if (op instanceof LogOp.DeleteSubscription) {
            LogOp.DeleteSubscription s = (LogOp.DeleteSubscription) op;
            out.writeByte(4);
            out.writeUTF(s.topic());
            out.writeUTF(s.subscription());
        } else if (op instanceof LogOp.Append) {
            LogOp.Append a = (LogOp.Append) op;
            out.writeByte(5);
            message(out, a.message());
            out.writeInt(a.subscriptions().size());
            for (String s : a.subscriptions()) {
                out.writeUTF(s);
            }
        } else if (op instanceof LogOp.Ack) {
            LogOp.Ack a = (LogOp.Ack) op;
            out.writeByte(6);
            out.writeUTF(a.destination());
            out.writeUTF(a.subscription());
            out.writeInt(a.partition());
            out.writeLong(a.sequence());
        } else if (op instanceof LogOp.Remove) {
            LogOp.Remove r = (LogOp.Remove) op;
            out.writeByte(7);
            out.writeUTF(r.destination());
            out.writeInt(r.partition());
            out.writeLong(r.sequence());
        } else if (op instanceof LogOp.DeliveryCount) {
            LogOp.DeliveryCount c = (LogOp.DeliveryCount) op;
            out.writeByte(8);
            out.writeUTF(c.destination());
            out.writeUTF(c.subscription());
            out.writeInt(c.partition());
            out.writeLong(c.sequence());
            out.writeInt(c.count());
        } else {
            throw new IllegalArgumentException("unknown log operation " + op.getClass());
        }
    }

    private static LogOp read(OpBytes.In in) throws IOException {
        int tag = in.readByte();
        switch (tag) {
            case 1: {
                DestinationType type = DestinationType.valueOf(in.readUTF());
                String name = in.readUTF();
                String owner = in.readUTF();
                DestinationOptions options = DestinationOptions.builder().partitions(in.readInt())
                        .ackTimeout(Duration.ofMillis(in.readLong())).maxDeliveries(in.readInt())
                        .ttl(readLong(in).map(Duration::ofMillis).orElse(null)).maxLength(readLong(in).orElse(null))
                        .overflow(Overflow.valueOf(in.readUTF())).build();
                return new LogOp.PutDestination(new DestinationRecord(type, name, owner, options, instant(in)));
            }
            case 2:
                return new LogOp.DeleteDestination(DestinationType.valueOf(in.readUTF()), in.readUTF());
            case 3: {
                String topic = in.readUTF();
                String name = in.readUTF();
                String owner = in.readUTF();
                SubscriptionOptions options = new SubscriptionOptions(readLong(in).map(Duration::ofMillis),
                        readLong(in).map(Long::intValue));
                return new LogOp.PutSubscription(new SubscriptionRecord(topic, name, owner, options, instant(in)));
            }
            case 4:
                return new LogOp.DeleteSubscription(in.readUTF(), in.readUTF());
            case 5: {
                Message m = message(in);
                int n = in.readInt();
                List<String> subs = new ArrayList<>(Math.max(0, Math.min(n, 1024)));
                for (int i = 0; i < n; i++) {
                    subs.add(in.readUTF());
                }
                return new LogOp.Append(m, subs);
            }
            case 6:
                return new LogOp.Ack(in.readUTF(), in.readUTF(), in.readInt(), in.readLong());
            case 7:
                return new LogOp.Remove(in.readUTF(), in.readInt(), in.readLong());
            case 8:
                return new LogOp.DeliveryCount(in.readUTF(), in.readUTF(), in.readInt(), in.readLong(), in.readInt());
            default:
                throw new IOException("unknown log operation tag " + tag);
        }
    }

    private static void message(OpBytes.Out out, Message m) {
        out.writeUTF(m.id());
        out.writeUTF(m.destination());
        out.writeInt(m.partition());
        out.writeLong(m.sequence());
        out.writeInt(m.payload().length);
        out.write(m.payload());
        out.writeInt(m.headers().size());
        for (Map.Entry<String, String> h : m.headers().entrySet()) {
            out.writeUTF(h.getKey());
            out.writeUTF(h.getValue());
        }
        writeString(out, m.key());
        out.writeUTF(m.sender());
        instant(out, m.publishedAt());
        out.writeBoolean(m.expiresAt().isPresent());
        if (m.expiresAt().isPresent()) {
            instant(out, m.expiresAt().get());
        }
    }

    private static Message message(OpBytes.In in) throws IOException {
        String id = in.readUTF();
        String destination = in.readUTF();
        int partition = in.readInt();
        long sequence = in.readLong();
        byte[] payload = in.readBytes(in.readInt());
        int n = in.readInt();
        Map<String, String> headers = new HashMap<>();
        for (int i = 0; i < n; i++) {
            headers.put(in.readUTF(), in.readUTF());
        }
        Optional<String> key = readString(in);
        String sender = in.readUTF();
        Instant published = instant(in);
        Optional<Instant> expires = in.readBoolean() ? Optional.of(instant(in)) : Optional.empty();
        return new Message(id, destination, partition, sequence, payload, headers, key, sender, published, expires);
    }

    private static void instant(OpBytes.Out out, Instant at) {
        out.writeLong(at.getEpochSecond());
        out.writeInt(at.getNano());
    }

    private static Instant instant(OpBytes.In in) throws IOException {
        return Instant.ofEpochSecond(in.readLong(), in.readInt());
    }

    private static void writeLong(OpBytes.Out out, Optional<Long> value) {
        out.writeBoolean(value.isPresent());
        if (value.isPresent()) {
            out.writeLong(value.get());
        }
    }

    private static Optional<Long> readLong(OpBytes.In in) throws IOException {
        return in.readBoolean() ? Optional.of(in.readLong()) : Optional.empty();
    }

    private static void writeString(OpBytes.Out out, Optional<String> value) {
        out.writeBoolean(value.isPresent());
        if (value.isPresent()) {
            out.writeUTF(value.get());
        }
    }

    private static Optional<String> readString(OpBytes.In in) throws IOException {
        return in.readBoolean() ? Optional.of(in.readUTF()) : Optional.empty();
    }
}
