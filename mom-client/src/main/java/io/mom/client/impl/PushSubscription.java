package io.mom.client.impl;

import io.mom.client.AckMode;
import io.mom.client.CloseReason;
import io.mom.client.GoneException;
import io.mom.client.MessageHandler;
import io.mom.client.MomClientException;
import io.mom.client.NackMode;
import io.mom.client.NotFoundException;
import io.mom.client.Source;
import io.mom.client.SubscribeOptions;
import io.mom.client.Subscription;
import io.mom.client.SubscriptionListener;
import io.mom.client.UnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A push subscription run by one thread of its own: it opens the stream, hands each delivery to the
 * handler in order, and after a connection loss reconnects with {@link Backoff} delays until the
 * subscription is closed, the source is deleted, or the server refuses the stream for good
 * (any 4xx but 401-with-credentials; 404 and 410 count as deleted). Thread-safe.
 */
final class PushSubscription implements Subscription, Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(PushSubscription.class);
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);

    private final Source source;
    private final MessageHandler handler;
    private final SubscribeOptions options;
    private final SubscriptionListener listener;
    private final Function<Source, PushStream> opener;
    private final ReceivedMessage.Settler settler;
    private final OpenDeliveries deliveries;
    private final Backoff backoff;
    private final Consumer<PushSubscription> onEnd;

    private final CompletableFuture<Void> opened = new CompletableFuture<>();
    private final CompletableFuture<CloseReason> closed = new CompletableFuture<>();
    private final AtomicReference<CloseReason> ending = new AtomicReference<>();
    private final AtomicReference<PushStream> stream = new AtomicReference<>();
    private final CountDownLatch stopSignal = new CountDownLatch(1);
    private volatile MomClientException failure;
    private volatile boolean connected;
    private volatile Thread thread;

    /**
     * @param opener     opens the stream with session handling; throws {@link MomClientException}
     * @param deliveries where client-ack deliveries are noted until settled, so that any settlement returns credit
     * @param onEnd      told once when the subscription has ended
     */
    PushSubscription(Source source, MessageHandler handler, SubscribeOptions options, Function<Source, PushStream> opener,
                     ReceivedMessage.Settler settler, OpenDeliveries deliveries, Backoff backoff,
                     Consumer<PushSubscription> onEnd) {
        this.source = Objects.requireNonNull(source, "source");
        this.handler = Objects.requireNonNull(handler, "handler");
        this.options = Objects.requireNonNull(options, "options");
        this.listener = options.listener();
        this.opener = Objects.requireNonNull(opener, "opener");
        this.settler = Objects.requireNonNull(settler, "settler");
        this.deliveries = Objects.requireNonNull(deliveries, "deliveries");
        this.backoff = Objects.requireNonNull(backoff, "backoff");
        this.onEnd = Objects.requireNonNull(onEnd, "onEnd");
    }

    /** Starts the subscription thread and waits until the first stream is open; throws its failure otherwise. */
    void start() {
        Thread t = new Thread(this, "mom-subscription-" + source);
        t.setDaemon(true);
        thread = t;
        t.start();
        Errors.await(opened);
    }

    @Override
    public Source source() {
        return source;
    }

    @Override
    public boolean isActive() {
        return !closed.isDone();
    }

    @Override
    public boolean isConnected() {
        return connected;
    }

    @Override
    public CompletableFuture<CloseReason> whenClosed() {
        return closed.thenApply(r -> r);
    }

    @Override
    public Optional<MomClientException> failure() {
        return Optional.ofNullable(failure);
    }

    @Override
    public void close() {
        stop(CloseReason.CLOSED);
        Thread t = thread;
        if (t != null && t != Thread.currentThread()) {
            try {
                t.join(CLOSE_WAIT.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Asks the thread to end with {@code reason} (unless it is already ending); returns whether this call decided. */
    private boolean stop(CloseReason reason) {
        if (!ending.compareAndSet(null, reason)) {
            return false;
        }
        stopSignal.countDown();
        PushStream s = stream.get();
        if (s != null) {
            s.close();
        }
        return true;
    }

    @Override
    public void run() {
        int attempt = 0;
        try {
            while (ending.get() == null) {
                PushStream s;
                try {
                    s = opener.apply(source);
                } catch (MomClientException e) {
                    if (!opened.isDone()) {
                        fail(e);
                        return;
                    }
                    if (!handleOpenFailure(e, attempt++)) {
                        return;
                    }
                    continue;
                }
                stream.set(s);
                if (ending.get() != null) {
                    s.close();
                    break;
                }
                connected = true;
                attempt = 0;
                opened.complete(null);
                callListener(() -> listener.onConnected(source));
                Throwable lost;
                try {
                    lost = consume(s);
                } finally {
                    deliveries.forget(s);
                }
                connected = false;
                s.close();
                stream.set(null);
                if (lost == null || ending.get() != null) {
                    break;
                }
                Duration delay = backoff.delay(attempt++);
                LOG.debug("push stream of {} lost ({}); reconnecting in {}", source, lost.toString(), delay);
                callListener(() -> listener.onDisconnected(source, lost, delay));
                pause(delay);
            }
        } catch (Throwable t) {
            LOG.error("push subscription of {} failed", source, t);
            fail(new MomClientException("INTERNAL", MomClientException.NO_STATUS, String.valueOf(t), t));
        } finally {
            connected = false;
            CloseReason reason = ending.get() != null ? ending.get() : CloseReason.CLOSED;
            onEnd.accept(this);
            // a subscription whose first stream never opened was never handed out: only subscribe() hears of it
            boolean started = opened.isDone() && !opened.isCompletedExceptionally();
            if (started) {
                callListener(() -> listener.onClosed(source, reason));
            }
            closed.complete(reason);
            opened.completeExceptionally(failure != null ? failure
                    : new MomClientException("CLOSED", MomClientException.NO_STATUS, "closed before the stream opened"));
        }
    }

    /** Reads events until the stream ends; returns the cause of a connection loss, or null when the subscription ends. */
    private Throwable consume(PushStream s) {
        ReceivedMessage.Settler streamSettler = deliveries.releasing(
                s.settlesDeliveries() ? new StreamSettler(s, settler) : settler);
        while (ending.get() == null) {
            Optional<StreamEvent> event;
            try {
                event = s.next();
            } catch (IOException e) {
                return e;
            }
            if (event.isEmpty()) {
                return new IOException("the server ended the stream");
            }
            if (event.get().isDeleted()) {
                deleted();
                return null;
            }
            Delivery delivery = event.get().delivery().orElseThrow();
            delivery.receipt().ifPresent(receipt -> deliveries.delivered(receipt, s));
            deliver(new ReceivedMessage(delivery, source, streamSettler));
        }
        return null;
    }

    private void deliver(ReceivedMessage message) {
        try {
            handler.onMessage(message);
        } catch (RuntimeException e) {
            LOG.warn("message handler of {} failed on {}", source, message, e);
            if (options.ackMode() == AckMode.CLIENT && !message.isSettled()) {
                message.nackAsync(NackMode.REQUEUE).exceptionally(error -> {
                    LOG.debug("nack after handler failure of {} failed: {}", message, error.toString());
                    return false;
                });
            }
            callListener(() -> listener.onHandlerError(message, e));
        }
    }

    /** Decides what a failed reconnect means; returns false when the subscription is over. */
    private boolean handleOpenFailure(MomClientException e, int attempt) {
        if (e instanceof NotFoundException || e instanceof GoneException) {
            deleted();
            return false;
        }
        boolean transientFailure = e instanceof UnavailableException || e.status() >= 500
                || e.status() == MomClientException.NO_STATUS && !"UNAUTHORIZED".equals(e.code());
        if (!transientFailure) {
            fail(e);
            return false;
        }
        Duration delay = backoff.delay(attempt);
        LOG.debug("reconnect of {} failed ({}); retrying in {}", source, e.toString(), delay);
        callListener(() -> listener.onDisconnected(source, e, delay));
        pause(delay);
        return true;
    }

    private void deleted() {
        if (stop(CloseReason.DELETED)) {
            try {
                handler.onDeleted(source);
            } catch (RuntimeException e) {
                LOG.warn("onDeleted of {} failed", source, e);
            }
        }
    }

    private void fail(MomClientException e) {
        failure = e;
        stop(CloseReason.FAILED);
    }

    private void pause(Duration delay) {
        try {
            stopSignal.await(delay.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop(CloseReason.CLOSED);
        }
    }

    private void callListener(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            LOG.warn("subscription listener of {} failed", source, e);
        }
    }

    @Override
    public String toString() {
        return "Subscription[" + source + (connected ? ", connected" : "") + (closed.isDone() ? ", closed" : "") + "]";
    }
}
