package io.mom.cluster;

import io.mom.core.ErrorCode;
import io.mom.core.MomException;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
import org.apache.zookeeper.KeeperException;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** The few Curator chores the components share: threads, paths, waits, error mapping. Stateless. */
final class CuratorOps {
    private CuratorOps() {
    }

    /** A single daemon thread with the given name, for one component's ZooKeeper work. */
    static ScheduledExecutorService singleThread(String name) {
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        });
        executor.setRemoveOnCancelPolicy(true);
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        return Executors.unconfigurableScheduledExecutorService(executor);
    }

    /** Creates a persistent path (and its parents) if absent. */
    static void ensurePath(CuratorFramework client, String path) {
        try {
            client.create().creatingParentsIfNeeded().forPath(path);
        } catch (KeeperException.NodeExistsException e) {
            // Already there.
        } catch (Exception e) {
            throw unavailable("cannot create " + path, e);
        }
    }

    /** Starts a cache and waits until it has loaded what exists. */
    static void startAndAwait(CuratorCache cache, Duration timeout) {
        CountDownLatch loaded = new CountDownLatch(1);
        cache.listenable().addListener(CuratorCacheListener.builder().forInitialized(loaded::countDown).build());
        cache.start();
        try {
            if (!loaded.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new MomException(ErrorCode.UNAVAILABLE, "ZooKeeper cache did not load within " + timeout);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MomException(ErrorCode.UNAVAILABLE, "interrupted while loading a ZooKeeper cache", e);
        }
    }

    /** Waits for a future, unwrapping a {@link MomException} it failed with. */
    static <T> T await(CompletableFuture<T> future, Duration timeout, String what) {
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MomException(ErrorCode.UNAVAILABLE, "interrupted while waiting for " + what, e);
        } catch (TimeoutException e) {
            future.cancel(false);
            throw new MomException(ErrorCode.UNAVAILABLE, what + " did not complete within " + timeout);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof MomException) {
                throw (MomException) e.getCause();
            }
            throw unavailable(what + " failed", e.getCause());
        }
    }

    /** The id of the client's current ZooKeeper session (0 while none is established). */
    static long sessionId(CuratorFramework client) throws Exception {
        return client.getZookeeperClient().getZooKeeper().getSessionId();
    }

    static MomException unavailable(String what, Throwable cause) {
        if (cause instanceof InterruptedException) {
            Thread.currentThread().interrupt();
        }
        return new MomException(ErrorCode.UNAVAILABLE, "ZooKeeper: " + what, cause);
    }
}
