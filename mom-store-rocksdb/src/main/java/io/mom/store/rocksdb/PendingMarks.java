package io.mom.store.rocksdb;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The subscriptions that still need one message, each with its last persisted delivery count: the value of
 * the message's key in the {@code pending} column family ({@code version, count, (subscription, deliveries)*}).
 * Keeping all marks of a message in one value makes removing a message a blind delete (no read), which is
 * the hot path of queues. Stateless.
 */
final class PendingMarks {
    static final int VERSION = 1;

    private PendingMarks() {
    }

    /** Marks with a zero delivery count for each subscription. */
    static byte[] initial(List<String> subscriptions) {
        ByteWriter w = new ByteWriter(8 + 16 * subscriptions.size()).writeByte(VERSION)
                .writeVarInt(subscriptions.size());
        for (String s : subscriptions) {
            w.writeString(s).writeVarInt(0);
        }
        return w.toByteArray();
    }

    static byte[] encode(Map<String, Integer> marks) {
        ByteWriter w = new ByteWriter(8 + 16 * marks.size()).writeByte(VERSION).writeVarInt(marks.size());
        for (Map.Entry<String, Integer> e : marks.entrySet()) {
            w.writeString(e.getKey()).writeVarInt(e.getValue());
        }
        return w.toByteArray();
    }

    /** A mutable map in stored order. */
    static Map<String, Integer> decode(byte[] value, String what) {
        ByteReader r = new ByteReader(value, what);
        r.expectVersion(VERSION);
        int n = r.readVarInt();
        Map<String, Integer> marks = new LinkedHashMap<>(Math.max(4, n * 2));
        for (int i = 0; i < n; i++) {
            marks.put(r.readString(), r.readVarInt());
        }
        return marks;
    }

    /** An immutable map, cheaper for the common single-subscription case (queues). */
    static Map<String, Integer> decodeImmutable(byte[] value, String what) {
        ByteReader r = new ByteReader(value, what);
        r.expectVersion(VERSION);
        int n = r.readVarInt();
        if (n == 0) {
            return Map.of();
        }
        if (n == 1) {
            return Map.of(r.readString(), r.readVarInt());
        }
        return Map.copyOf(decode(value, what));
    }
}
