package io.mom.store.rocksdb;

import io.mom.core.spi.StoreException;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

/**
 * Reads what {@link ByteWriter} wrote. Any malformed or truncated input becomes a {@link StoreException}
 * naming what was being read, never an {@link IndexOutOfBoundsException}. Not thread-safe.
 */
final class ByteReader {
    private final byte[] buf;
    private final Supplier<String> what;
    private int pos;

    ByteReader(byte[] buf, String what) {
        this(buf, () -> what);
    }

    /** With a description built only when the value turns out to be corrupt (for hot paths). */
    ByteReader(byte[] buf, Supplier<String> what) {
        this.buf = buf;
        this.what = what;
    }

    private void need(int n) {
        if (n < 0 || pos + n > buf.length) {
            throw corrupt("truncated value");
        }
    }

    StoreException corrupt(String detail) {
        return new StoreException("Corrupt " + what.get() + " in the RocksDB store: " + detail);
    }

    /** Reads the leading format version and refuses any other than {@code expected}. */
    void expectVersion(int expected) {
        int version = readByte();
        if (version != expected) {
            throw corrupt("unknown format version " + version + " (this version reads " + expected + ")");
        }
    }

    int readByte() {
        need(1);
        return buf[pos++] & 0xff;
    }

    int readVarInt() {
        int result = 0;
        for (int shift = 0; shift < 35; shift += 7) {
            int b = readByte();
            result |= (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                return result;
            }
        }
        throw corrupt("malformed varint");
    }

    long readLong() {
        need(8);
        long v = Keys.getLong(buf, pos);
        pos += 8;
        return v;
    }

    byte[] readBytes() {
        int n = readVarInt();
        need(n);
        byte[] out = new byte[n];
        System.arraycopy(buf, pos, out, 0, n);
        pos += n;
        return out;
    }

    void skipBytes() {
        int n = readVarInt();
        need(n);
        pos += n;
    }

    String readString() {
        int n = readVarInt();
        need(n);
        String s = new String(buf, pos, n, StandardCharsets.UTF_8);
        pos += n;
        return s;
    }

    Instant readInstant() {
        long seconds = readLong();
        int nanos = readVarInt();
        try {
            return Instant.ofEpochSecond(seconds, nanos);
        } catch (RuntimeException e) {
            throw corrupt("instant out of range");
        }
    }

    Duration readDuration() {
        long seconds = readLong();
        return Duration.ofSeconds(seconds, readVarInt());
    }
}
