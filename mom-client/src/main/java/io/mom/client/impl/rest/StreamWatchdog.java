package io.mom.client.impl.rest;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Expires push streams that have received nothing for longer than the idle timeout, so that a
 * connection that died without a close (a crashed host, a dropped network path) is noticed: the
 * server writes a heartbeat comment every 15 s by default. One daemon thread per transport, started
 * with the first stream. Thread-safe.
 */
final class StreamWatchdog implements AutoCloseable {
    private final long idleNanos;
    private final Set<SsePushStream> streams = ConcurrentHashMap.newKeySet();
    private ScheduledExecutorService timer;
    private boolean closed;

    StreamWatchdog(Duration idleTimeout) {
        this.idleNanos = idleTimeout.toNanos();
    }

    /** Watches a stream until it ends or expires. */
    void watch(SsePushStream stream) {
        startTimer();
        streams.add(stream);
        stream.onClose(() -> streams.remove(stream));
    }

    /** Expires every watched stream idle at {@code nowNanos} ({@link System#nanoTime()} scale). */
    void check(long nowNanos) {
        for (SsePushStream s : streams) {
            if (nowNanos - s.lastActivityNanos() > idleNanos) {
                streams.remove(s);
                s.expire(Duration.ofNanos(idleNanos));
            }
        }
    }

    private synchronized void startTimer() {
        if (timer != null || closed) {
            return;
        }
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "mom-client-stream-watchdog");
            t.setDaemon(true);
            return t;
        });
        long period = Math.max(TimeUnit.MILLISECONDS.toNanos(10), idleNanos / 4);
        timer.scheduleAtFixedRate(() -> check(System.nanoTime()), period, period, TimeUnit.NANOSECONDS);
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}
