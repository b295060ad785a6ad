package io.mom.client.impl.rest;

import com.google.gson.JsonParser;
import io.mom.client.impl.PushStream;
import io.mom.client.impl.StreamEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A push stream over SSE: {@code event: message} carries a delivery as JSON, {@code event: deleted}
 * ends the stream because its source was deleted; other event types and comments (heartbeats) are
 * skipped. A malformed message event breaks the stream (an {@link IOException}) so the subscription
 * reconnects and the server redelivers. {@link #close()} closes the response body from any thread,
 * which ends a blocked read; so does {@link #expire} (then {@link #next()} throws). Records when bytes
 * last arrived for the {@link StreamWatchdog}.
 */
final class SsePushStream implements PushStream {
    private static final Logger LOG = LoggerFactory.getLogger(SsePushStream.class);

    private final InputStream body;
    private final SseReader reader;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile long lastActivityNanos = System.nanoTime();
    private volatile Duration expiredAfter;
    private volatile Runnable onClose = () -> { };

    SsePushStream(InputStream body) {
        this.body = body;
        this.reader = new SseReader(new FilterInputStream(body) {
            @Override
            public int read() throws IOException {
                int b = super.read();
                lastActivityNanos = System.nanoTime();
                return b;
            }

            @Override
            public int read(byte[] buf, int off, int len) throws IOException {
                int n = super.read(buf, off, len);
                lastActivityNanos = System.nanoTime();
                return n;
            }
        });
    }

    @Override
    public Optional<StreamEvent> next() throws IOException {
        while (true) {
            Optional<SseReader.Event> event;
            try {
                event = reader.next();
            } catch (IOException e) {
                checkExpired();
                if (closed.get()) {
                    return Optional.empty();
                }
                throw e;
            }
            if (event.isEmpty()) {
                checkExpired();
                return Optional.empty();
            }
            String type = event.get().type();
            if ("deleted".equals(type)) {
                return Optional.of(StreamEvent.deleted());
            }
            if ("message".equals(type)) {
                try {
                    return Optional.of(StreamEvent.message(
                            RestJson.delivery(JsonParser.parseString(event.get().data()).getAsJsonObject())));
                } catch (RuntimeException e) {
                    throw new IOException("malformed message event: " + e.getMessage(), e);
                }
            }
            LOG.debug("skipping push event of type {}", type);
        }
    }

    private void checkExpired() throws IOException {
        Duration d = expiredAfter;
        if (d != null) {
            throw new IOException("no data on the stream for " + d);
        }
    }

    long lastActivityNanos() {
        return lastActivityNanos;
    }

    /** Ends the stream as lost after it was silent for {@code idle}. */
    void expire(Duration idle) {
        expiredAfter = idle;
        close();
    }

    void onClose(Runnable action) {
        this.onClose = action;
        if (closed.get()) {
            action.run();
        }
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            onClose.run();
            try {
                body.close();
            } catch (IOException e) {
                LOG.debug("closing push stream: {}", e.toString());
            }
        }
    }
}
