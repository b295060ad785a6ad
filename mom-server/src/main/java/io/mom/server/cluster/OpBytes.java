package io.mom.server.cluster;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The primitive encoding {@link LogOpCodec} uses: the bytes {@link DataOutputStream} writes (big-endian
 * numbers, strings as a 2-byte length and modified UTF-8), written to and read from plain buffers,
 * without the per-call locking of the {@code java.io} streams and with a fast path for ASCII strings.
 * Not thread-safe: one instance per encoding or decoding.
 */
final class OpBytes {
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final int MAX_UTF = 65_535;

    private OpBytes() {
    }

    /** A growing buffer to write to. */
    static final class Out {
        private byte[] buf;
        private int size;

        Out(int capacity) {
            buf = new byte[Math.max(16, capacity)];
        }

        private void ensure(int more) {
            if (size + more > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + more));
            }
        }

        void writeByte(int v) {
            ensure(1);
            buf[size++] = (byte) v;
        }

        void writeBoolean(boolean v) {
            writeByte(v ? 1 : 0);
        }

        void writeInt(int v) {
            ensure(4);
            INT.set(buf, size, v);
            size += 4;
        }

        void writeLong(long v) {
            ensure(8);
            LONG.set(buf, size, v);
            size += 8;
        }

        void write(byte[] bytes) {
            ensure(bytes.length);
            System.arraycopy(bytes, 0, buf, size, bytes.length);
            size += bytes.length;
        }

        void writeUTF(String s) {
            int n = s.length();
            if (n <= MAX_UTF && ascii(s)) {
                ensure(2 + n);
                buf[size++] = (byte) (n >>> 8);
                buf[size++] = (byte) n;
                for (int i = 0; i < n; i++) {
                    buf[size++] = (byte) s.charAt(i);
                }
                return;
            }
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(n + 16);
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                out.writeUTF(s); // too long: UTFDataFormatException, as DataOutputStream
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            write(bytes.toByteArray());
        }

        private static boolean ascii(String s) {
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c == 0 || c >= 0x80) {
                    return false;
                }
            }
            return true;
        }

        /** The buffer; its first {@link #size()} bytes are the encoding. */
        byte[] buffer() {
            return buf;
        }

        int size() {
            return size;
        }
    }

    /** Reads from a buffer; running past its end is an {@link EOFException}. */
    static final class In {
        private final ByteBuffer buf;

        In(ByteBuffer buf) {
            this.buf = buf.slice().order(ByteOrder.BIG_ENDIAN);
        }

        private void need(int n) throws EOFException {
            if (n < 0 || buf.remaining() < n) {
                throw new EOFException("the log operations end early");
            }
        }

        byte readByte() throws IOException {
            need(1);
            return buf.get();
        }

        boolean readBoolean() throws IOException {
            return readByte() != 0;
        }

        int readInt() throws IOException {
            need(4);
            return buf.getInt();
        }

        long readLong() throws IOException {
            need(8);
            return buf.getLong();
        }

        /** {@code n} bytes; fails before allocating when fewer are left. */
        byte[] readBytes(int n) throws IOException {
            need(n);
            byte[] bytes = new byte[n];
            buf.get(bytes);
            return bytes;
        }

        String readUTF() throws IOException {
            need(2);
            int n = Short.toUnsignedInt(buf.getShort());
            byte[] bytes = readBytes(n);
            for (byte b : bytes) {
                if (b <= 0) {
                    byte[] framed = new byte[n + 2];
                    framed[0] = (byte) (n >>> 8);
                    framed[1] = (byte) n;
                    System.arraycopy(bytes, 0, framed, 2, n);
                    return new DataInputStream(new ByteArrayInputStream(framed)).readUTF();
                }
            }
            return new String(bytes, StandardCharsets.ISO_8859_1);
        }
    }
}
