package io.mom.store.rocksdb;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;

/**
 * A growable byte array for the store's binary values: unsigned varints for lengths and small numbers,
 * length-prefixed UTF-8 strings, big-endian fixed-width longs. Not thread-safe; one per encoding.
 */
final class ByteWriter {
    private byte[] buf;
    private int size;

    ByteWriter(int capacity) {
        buf = new byte[Math.max(16, capacity)];
    }

    private void ensure(int more) {
        if (size + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + more));
        }
    }

    ByteWriter writeByte(int b) {
        ensure(1);
        buf[size++] = (byte) b;
        return this;
    }

    /** An unsigned LEB128 varint; negative values take 5 bytes. */
    ByteWriter writeVarInt(int v) {
        ensure(5);
        while ((v & ~0x7f) != 0) {
            buf[size++] = (byte) ((v & 0x7f) | 0x80);
            v >>>= 7;
        }
        buf[size++] = (byte) v;
        return this;
    }

    ByteWriter writeLong(long v) {
        ensure(8);
        Keys.putLong(buf, size, v);
        size += 8;
        return this;
    }

    ByteWriter writeBytes(byte[] bytes) {
        writeVarInt(bytes.length);
        ensure(bytes.length);
        System.arraycopy(bytes, 0, buf, size, bytes.length);
        size += bytes.length;
        return this;
    }

    ByteWriter writeString(String s) {
        return writeBytes(s.getBytes(StandardCharsets.UTF_8));
    }

    ByteWriter writeInstant(Instant t) {
        writeLong(t.getEpochSecond());
        return writeVarInt(t.getNano());
    }

    ByteWriter writeDuration(Duration d) {
        writeLong(d.getSeconds());
        return writeVarInt(d.getNano());
    }

    byte[] toByteArray() {
        return Arrays.copyOf(buf, size);
    }
}
