package io.mom.examples.perf;

import io.mom.client.Message;
import io.mom.client.OutgoingMessage;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.OptionalLong;

/**
 * The publish time of a perf-test message, for the publish-to-delivery latency: the run id and
 * {@link System#nanoTime()} of the publish in the first {@value #BYTES} bytes of the payload (or, for
 * payloads smaller than that, in the header {@value #HEADER}). Producers and consumers of one run share
 * a JVM, so their clocks agree; messages of other runs (left in a durable queue) are recognised by
 * their run id and not timed. Stateless.
 */
final class Stamp {
    static final int BYTES = 16;
    static final String HEADER = "perf-stamp";

    private Stamp() {
    }

    /** A message of {@code size} payload bytes stamped with {@code run} and {@code nanos}. */
    static OutgoingMessage message(long run, long nanos, int size, byte[] filler) {
        if (size < BYTES) {
            return OutgoingMessage.builder().bytes(Arrays.copyOf(filler, size)).header(HEADER, run + ":" + nanos).build();
        }
        byte[] payload = Arrays.copyOf(filler, size);
        ByteBuffer.wrap(payload).putLong(run).putLong(nanos);
        return OutgoingMessage.bytes(payload);
    }

    /** The publish time of a message of run {@code run}; empty for other messages. */
    static OptionalLong publishedAt(Message m, long run) {
        String header = m.headers().get(HEADER);
        if (header != null) {
            int colon = header.indexOf(':');
            try {
                if (colon > 0 && Long.parseLong(header.substring(0, colon)) == run) {
                    return OptionalLong.of(Long.parseLong(header.substring(colon + 1)));
                }
            } catch (NumberFormatException e) {
                return OptionalLong.empty();
            }
            return OptionalLong.empty();
        }
        byte[] payload = m.payload();
        if (payload.length < BYTES) {
            return OptionalLong.empty();
        }
        ByteBuffer b = ByteBuffer.wrap(payload);
        return b.getLong() == run ? OptionalLong.of(b.getLong()) : OptionalLong.empty();
    }
}
