package io.mom.client.impl.grpc;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where the gRPC transport completes the futures the application sees (publishes, settles), so that
 * application callbacks never run on, or block, the connection's transport thread. Cached daemon
 * threads; after {@link #close()} tasks run on the caller. Thread-safe.
 */
final class CallbackExecutor implements Executor, AutoCloseable {
    private final AtomicInteger threads = new AtomicInteger();
    private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "mom-grpc-client-callback-" + threads.incrementAndGet());
        t.setDaemon(true);
        return t;
    });

    @Override
    public void execute(Runnable task) {
        try {
            pool.execute(task);
        } catch (RejectedExecutionException e) {
            task.run(); // closed: complete on the caller rather than never
        }
    }

    @Override
    public void close() {
        pool.shutdown();
    }
}
