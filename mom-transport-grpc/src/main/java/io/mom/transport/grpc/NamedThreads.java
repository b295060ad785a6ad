package io.mom.transport.grpc;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Fixed pools of named daemon threads for the server's service code. */
final class NamedThreads implements ThreadFactory {
    private final String prefix;
    private final AtomicInteger next = new AtomicInteger();

    private NamedThreads(String prefix) {
        this.prefix = prefix;
    }

    /**
     * A pool of at most {@code threads} threads. Its queue is unbounded because gRPC cannot handle a
     * rejected task; the work queued is itself bounded by HTTP/2 and per-stream flow control.
     */
    static ExecutorService fixedPool(String prefix, int threads) {
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), new NamedThreads(prefix));
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    @Override
    public Thread newThread(Runnable task) {
        Thread t = new Thread(task, prefix + "-" + next.incrementAndGet());
        t.setDaemon(true);
        return t;
    }
}
