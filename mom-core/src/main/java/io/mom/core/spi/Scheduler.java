package io.mom.core.spi;

import java.time.Duration;

/**
 * Runs broker timers (pull waits, lease expiry sweeps). Thread-safe. Tasks must not block.
 * Tests use a manual implementation driven by the same clock as the broker.
 */
public interface Scheduler extends AutoCloseable {

    /** A scheduled task that can be cancelled. */
    interface Cancellable {
        void cancel();
    }

    Cancellable schedule(Runnable task, Duration delay);

    Cancellable scheduleAtFixedRate(Runnable task, Duration period);

    @Override
    void close();
}
