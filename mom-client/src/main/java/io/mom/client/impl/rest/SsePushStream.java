package io.mom.client.impl.rest;

import com.google.gson.JsonParser;
import io.mom.client.impl.PushStream;
import io.mom.client.impl.StreamEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A push stream over SSE: {@code event: message} carries a delivery as JSON, {@code event: deleted}
 * ends the stream because its source was deleted; other event types are skipped. A malformed message
 * event breaks the stream (an {@link IOException}) so the subscription reconnects and the server
 * redelivers. {@link #close()} closes the response body from any thread, which ends a blocked read.
 */
final class SsePushStream implements PushStream {
    private static final Logger LOG = LoggerFactory.getLogger(SsePushStream.class);

    private final InputStream body;
    private final SseReader reader;
    private final AtomicBoolean closed = new AtomicBoolean();

    SsePushStream(InputStream body) {
        this.body = body;
        this.reader = new SseReader(body);
    }

    @Override
    public Optional<StreamEvent> next() throws IOException {
        while (true) {
            Optional<SseReader.Event> event;
            try {
                event = reader.next();
            } catch (IOException e) {
                if (closed.get()) {
                    return Optional.empty();
                }
                throw e;
            }
            if (event.isEmpty()) {
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

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            try {
                body.close();
            } catch (IOException e) {
                LOG.debug("closing push stream: {}", e.toString());
            }
        }
    }
}
