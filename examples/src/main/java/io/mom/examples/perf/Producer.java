package io.mom.examples.perf;

import io.mom.client.Destination;
import io.mom.client.MomClient;
import io.mom.client.OutgoingMessage;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * One producer thread: publishes stamped messages (one per call, or {@code batch} per call) without
 * waiting for each confirm, keeping at most {@code confirm} messages unconfirmed, optionally paced to
 * {@code rate} messages per second, until {@code deadline} (a {@link System#nanoTime()} value); then
 * waits (bounded) for its last confirms. Confirms and failures go to the {@link Measurements}.
 */
final class Producer implements Runnable {
    private static final long DRAIN_NANOS = TimeUnit.SECONDS.toNanos(10);
    /** A paced producer that fell behind by more than this restarts its schedule instead of bursting. */
    private static final long MAX_LAG_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final MomClient client;
    private final Destination destination;
    private final Settings settings;
    private final Measurements measurements;
    private final Semaphore window;
    private final byte[] filler;

    /** The run parameters of a producer; {@code rate} 0 means as fast as the window allows. */
    record Settings(long run, int size, int batch, int confirm, double rate, long deadline) {
    }

    Producer(MomClient client, Destination destination, Settings settings, Measurements measurements) {
        this.client = client;
        this.destination = destination;
        this.settings = settings;
        this.measurements = measurements;
        this.window = new Semaphore(Math.max(settings.confirm(), settings.batch()));
        this.filler = new byte[settings.size()];
        java.util.Arrays.fill(filler, (byte) 'x');
    }

    @Override
    public void run() {
        int batch = settings.batch();
        long period = settings.rate() > 0 ? (long) (1e9 * batch / settings.rate()) : 0;
        long next = System.nanoTime();
        try {
            while (System.nanoTime() - settings.deadline() < 0) {
                if (period > 0) {
                    long now = System.nanoTime();
                    if (next - now > 0) {
                        LockSupport.parkNanos(next - now);
                        continue; // re-check the deadline after a pause
                    }
                    next = now - next > MAX_LAG_NANOS ? now + period : next + period;
                }
                if (!window.tryAcquire(batch, 100, TimeUnit.MILLISECONDS)) {
                    continue;
                }
                publish(batch);
            }
            window.tryAcquire(Math.max(settings.confirm(), batch), DRAIN_NANOS, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void publish(int batch) {
        long now = System.nanoTime();
        CompletableFuture<?> confirmed;
        try {
            if (batch == 1) {
                confirmed = client.publishAsync(destination, Stamp.message(settings.run(), now, settings.size(), filler));
            } else {
                List<OutgoingMessage> messages = new ArrayList<>(batch);
                for (int i = 0; i < batch; i++) {
                    messages.add(Stamp.message(settings.run(), now, settings.size(), filler));
                }
                confirmed = client.publishAllAsync(destination, messages);
            }
        } catch (RuntimeException e) {
            confirmed = CompletableFuture.failedFuture(e);
        }
        confirmed.whenComplete((ids, error) -> {
            window.release(batch);
            if (error != null) {
                measurements.error(error);
            } else {
                measurements.published(batch);
            }
        });
    }
}
