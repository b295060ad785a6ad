package io.mom.store.rocksdb;

import io.mom.core.Message;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Binary value of a stored message (destination, partition and sequence are in its key):
 * {@code version, id, sender, publishedAt, flags, [key], [expiresAt], header count, (name, value)*, payload}.
 * The payload comes last so that {@link #payload} can skip the rest cheaply. Stateless.
 */
final class MessageCodec {
    static final int VERSION = 1;
    private static final int HAS_KEY = 1;
    private static final int HAS_EXPIRY = 2;

    private MessageCodec() {
    }

    static byte[] encode(Message m) {
        ByteWriter w = new ByteWriter(m.payload().length + 64 + m.id().length() + 32 * m.headers().size());
        w.writeByte(VERSION).writeString(m.id()).writeString(m.sender()).writeInstant(m.publishedAt());
        int flags = (m.key().isPresent() ? HAS_KEY : 0) | (m.expiresAt().isPresent() ? HAS_EXPIRY : 0);
        w.writeByte(flags);
        m.key().ifPresent(w::writeString);
        m.expiresAt().ifPresent(w::writeInstant);
        w.writeVarInt(m.headers().size());
        for (Map.Entry<String, String> h : m.headers().entrySet()) {
            w.writeString(h.getKey()).writeString(h.getValue());
        }
        return w.writeBytes(m.payload()).toByteArray();
    }

    static Message decode(String destination, int partition, long sequence, byte[] value) {
        ByteReader r = new ByteReader(value, () -> "message " + destination + "/" + partition + "/" + sequence);
        r.expectVersion(VERSION);
        String id = r.readString();
        String sender = r.readString();
        Instant publishedAt = r.readInstant();
        int flags = r.readByte();
        Optional<String> key = (flags & HAS_KEY) != 0 ? Optional.of(r.readString()) : Optional.empty();
        Optional<Instant> expiresAt = (flags & HAS_EXPIRY) != 0 ? Optional.of(r.readInstant()) : Optional.empty();
        Map<String, String> headers = headers(r);
        byte[] payload = r.readBytes();
        return new Message(id, destination, partition, sequence, payload, headers, key, sender, publishedAt, expiresAt);
    }

    /** An immutable map, which the message keeps as is (no copy). */
    private static Map<String, String> headers(ByteReader r) {
        int count = r.readVarInt();
        if (count == 0) {
            return Map.of();
        }
        if (count == 1) {
            return Map.of(r.readString(), r.readString());
        }
        Map<String, String> headers = new HashMap<>(count * 2);
        for (int i = 0; i < count; i++) {
            headers.put(r.readString(), r.readString());
        }
        return Map.copyOf(headers);
    }

    /** Only the payload of an encoded message. */
    static byte[] payload(byte[] value, String what) {
        ByteReader r = new ByteReader(value, what);
        r.expectVersion(VERSION);
        r.skipBytes();
        r.skipBytes();
        r.readInstant();
        int flags = r.readByte();
        if ((flags & HAS_KEY) != 0) {
            r.skipBytes();
        }
        if ((flags & HAS_EXPIRY) != 0) {
            r.readInstant();
        }
        int headerCount = r.readVarInt();
        for (int i = 0; i < headerCount * 2; i++) {
            r.skipBytes();
        }
        return r.readBytes();
    }
}
