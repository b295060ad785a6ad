package io.mom.cluster;

import io.mom.core.ErrorCode;
import io.mom.core.MomException;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.TimeUnit;

/**
 * One node's membership of a MOM cluster: the Curator client and every ZooKeeper component, started
 * in order and closed in reverse. This is what the server wires; the components can also be built
 * one by one on a shared Curator client.
 *
 * <p>{@link #start(ClusterSettings, Clock)} connects (waiting up to
 * {@link ClusterSettings#connectTimeout()}), loads the caches, registers the node, starts the fence
 * and joins the controller election; it throws {@link MomException} ({@code UNAVAILABLE} when
 * ZooKeeper cannot be reached, {@code CONFLICT} when the node id is taken) after undoing what it
 * started. {@link #close()} leaves the cluster gracefully (other nodes see the departure at once)
 * and is idempotent. Thread-safe.
 */
public final class ZkCluster implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ZkCluster.class);

    private final ClusterSettings settings;
    private final CuratorFramework client;
    private final ZkMembership membership;
    private final ZkPlacements placements;
    private final ZkMetadata metadata;
    private final Controller controller;
    private final CuratorClusterView view;
    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private boolean closed;

    private ZkCluster(ClusterSettings settings, Clock clock) {
        this.settings = settings;
        int sessionMs = (int) settings.sessionTimeout().toMillis();
        this.client = CuratorFrameworkFactory.builder()
                .connectString(settings.zkConnect())
                .namespace(settings.namespace())
                .sessionTimeoutMs(sessionMs)
                .connectionTimeoutMs(Math.min(sessionMs, 15_000))
                .retryPolicy(new ExponentialBackoffRetry(100, 3, 1000))
                .build();
        this.membership = new ZkMembership(client, settings);
        this.placements = new ZkPlacements(client, settings);
        this.metadata = new ZkMetadata(client, settings);
        this.view = new CuratorClusterView(client, settings, membership, placements);
        this.controller = new Controller(client, settings, membership, placements, clock);
    }

    /** Joins the cluster with the system clock. */
    public static ZkCluster start(ClusterSettings settings) {
        return start(settings, Clock.systemUTC());
    }

    /** Joins the cluster; {@code clock} times the failover grace period (tests inject a manual one). */
    public static ZkCluster start(ClusterSettings settings, Clock clock) {
        ZkCluster cluster = new ZkCluster(settings, clock);
        try {
            cluster.startAll();
            return cluster;
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    private void startAll() {
        client.start();
        started.push(client);
        try {
            if (!client.blockUntilConnected((int) settings.connectTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                throw new MomException(ErrorCode.UNAVAILABLE, "cannot connect to ZooKeeper at "
                        + settings.zkConnect() + " within " + settings.connectTimeout());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MomException(ErrorCode.UNAVAILABLE, "interrupted while connecting to ZooKeeper", e);
        }
        started.push(placements);
        placements.start();
        started.push(metadata);
        metadata.start();
        started.push(membership);
        membership.start();
        started.push(view);
        view.start();
        started.push(controller);
        controller.start();
        log.info("Node {} joined cluster {} at {}", settings.nodeId(), settings.clusterName(), settings.zkConnect());
    }

    public ClusterSettings settings() {
        return settings;
    }

    public ZkMembership membership() {
        return membership;
    }

    public ZkPlacements placements() {
        return placements;
    }

    public ZkMetadata metadata() {
        return metadata;
    }

    public Controller controller() {
        return controller;
    }

    public CuratorClusterView view() {
        return view;
    }

    /** The underlying client (tests use it to kill sessions). */
    CuratorFramework curator() {
        return client;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        while (!started.isEmpty()) {
            AutoCloseable component = started.pop();
            try {
                component.close();
            } catch (Exception e) {
                log.warn("Closing {} of node {} failed", component.getClass().getSimpleName(), settings.nodeId(), e);
            }
        }
    }
}
