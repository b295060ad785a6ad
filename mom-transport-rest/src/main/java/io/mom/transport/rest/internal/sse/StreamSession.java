package io.mom.transport.rest.internal.sse;

import com.google.gson.JsonObject;
import io.mom.core.CloseReason;
import io.mom.core.Consumer;
import io.mom.core.Delivery;
import io.mom.core.DeliveryListener;
import io.mom.core.SubscriptionRef;
import io.mom.transport.rest.internal.json.Json;
import io.mom.transport.rest.internal.json.MessageJson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Bridges one broker push consumer to one SSE response: each delivery becomes an {@code event: message}
 * frame; the deletion of the destination (or subscription) becomes a final {@code event: deleted} frame;
 * the end of the response closes the consumer, so its unacked deliveries go back to the subscription.
 *
 * <p>Flow control: client-ack streams use a window consumer (at most {@code prefetch} unacked
 * deliveries, refilled by acks); auto-ack streams use a credit consumer that gets one credit back
 * each time a frame has been written to the connection. Either way at most {@code prefetch} frames wait
 * in the channel.
 *
 * <p>Logs {@code event=stream_opened} and {@code event=stream_closed} (with the reason, the number of
 * deliveries written and the lifetime); never a payload or a token. Thread-safe.
 */
public final class StreamSession implements DeliveryListener {
    private static final Logger log = LoggerFactory.getLogger(StreamSession.class);

    private final SseChannel channel;
    private final SubscriptionRef subscription;
    private final boolean autoAck;
    private final String token;
    private final String user;
    private final String remote;
    private final long opened = System.nanoTime();
    private final AtomicLong deliveries = new AtomicLong();
    private final AtomicReference<String> endReason = new AtomicReference<>();
    private final AtomicBoolean ended = new AtomicBoolean();
    private volatile Consumer consumer;
    private volatile Runnable onEnd = () -> { };

    /**
     * @param user   who opened the stream, for the log
     * @param remote the client's address, for the log
     */
    public StreamSession(SseChannel channel, SubscriptionRef subscription, boolean autoAck, String token,
                         String user, String remote) {
        this.channel = channel;
        this.subscription = subscription;
        this.autoAck = autoAck;
        this.token = token;
        this.user = user;
        this.remote = remote;
    }

    /** The consumer feeding this stream, once attached. */
    public void attached(Consumer consumer, Runnable onEnd) {
        this.consumer = consumer;
        this.onEnd = onEnd;
        log.info("event=stream_opened transport=sse subscription={} user={} consumer={} autoAck={} remote={}",
                subscription, user, consumer.id(), autoAck, remote);
        if (ended.get()) {
            consumer.close();
        }
    }

    public String token() {
        return token;
    }

    @Override
    public void onDelivery(Delivery delivery) {
        String frame = "event: message\ndata: " + Json.text(MessageJson.delivery(delivery)) + "\n\n";
        if (channel.send(frame, autoAck ? this::creditOne : null)) {
            deliveries.incrementAndGet();
        } else {
            log.debug("event=stream_delivery_dropped subscription={} message={}", subscription,
                    delivery.message().id());
        }
    }

    private void creditOne() {
        Consumer c = consumer;
        if (c != null && c.isOpen()) {
            c.grant(1);
        }
    }

    @Override
    public void onClosed(CloseReason reason) {
        endReason.compareAndSet(null, reason.name().toLowerCase(java.util.Locale.ROOT));
        if (reason == CloseReason.DELETED || reason == CloseReason.UNSUBSCRIBED) {
            // Exactly the shape of API.md, also when only the subscription was deleted.
            JsonObject data = new JsonObject();
            data.addProperty("destination", subscription.destination().name());
            channel.send("event: deleted\ndata: " + Json.text(data) + "\n\n", null);
        }
        channel.close();
    }

    /** Ends the stream and its consumer (logout, expired token, server stop). */
    public void close() {
        endReason.compareAndSet(null, "server");
        Consumer c = consumer;
        if (c != null) {
            c.close();
        }
        channel.close();
    }

    /** The response has ended (client gone or stream closed): release the consumer. */
    public void channelEnded() {
        if (!ended.compareAndSet(false, true)) {
            return;
        }
        endReason.compareAndSet(null, "client");
        Consumer c = consumer;
        if (c != null) {
            c.close();
        }
        onEnd.run();
        log.info("event=stream_closed transport=sse subscription={} user={} consumer={} reason={} deliveries={} ms={}",
                subscription, user, c == null ? "-" : c.id(), endReason.get(), deliveries.get(),
                (System.nanoTime() - opened) / 1_000_000);
    }
}
