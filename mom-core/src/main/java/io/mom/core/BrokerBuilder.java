package io.mom.core;

import io.mom.core.internal.CoreBroker;
import io.mom.core.memory.InMemoryMessageStore;
import io.mom.core.memory.ThreadPoolScheduler;
import io.mom.core.spi.BrokerEvents;
import io.mom.core.spi.ClusterView;
import io.mom.core.spi.IdGenerator;
import io.mom.core.spi.MessageStore;
import io.mom.core.spi.Replicator;
import io.mom.core.spi.Scheduler;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * Configures a {@link Broker}. Every setting has a default suited to an embedded, in-memory broker:
 * an {@link InMemoryMessageStore}, no replication, a single-node cluster view, the system clock and a
 * scheduler thread of the broker's own. Not thread-safe; {@link #build()} validates and may be called once.
 */
public final class BrokerBuilder {
    private MessageStore store;
    private Replicator replicator = Replicator.NONE;
    private ClusterView clusterView;
    private BrokerEvents events = BrokerEvents.NONE;
    private Clock clock = Clock.systemUTC();
    private Scheduler scheduler;
    private IdGenerator ids;
    private Limits limits = Limits.DEFAULTS;
    private Duration dedupWindow = Duration.ofMinutes(5);
    private Duration sweepInterval = Duration.ofMillis(100);
    private String nodeId = "local";
    private long memoryBudget = Long.MAX_VALUE;

    BrokerBuilder() {
    }

    /** The durable log; the broker closes it on close. Default: in memory. */
    public BrokerBuilder store(MessageStore store) {
        this.store = Objects.requireNonNull(store, "store");
        return this;
    }

    public BrokerBuilder replicator(Replicator replicator) {
        this.replicator = Objects.requireNonNull(replicator, "replicator");
        return this;
    }

    public BrokerBuilder clusterView(ClusterView clusterView) {
        this.clusterView = Objects.requireNonNull(clusterView, "clusterView");
        return this;
    }

    public BrokerBuilder events(BrokerEvents events) {
        this.events = Objects.requireNonNull(events, "events");
        return this;
    }

    /** Time source for TTL, leases and dedup; tests inject a manual clock. */
    public BrokerBuilder clock(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        return this;
    }

    /** Timer service; the broker closes it on close. Tests inject a manual one driven by their clock. */
    public BrokerBuilder scheduler(Scheduler scheduler) {
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        return this;
    }

    public BrokerBuilder ids(IdGenerator ids) {
        this.ids = Objects.requireNonNull(ids, "ids");
        return this;
    }

    public BrokerBuilder limits(Limits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
        return this;
    }

    /** How long producer-chosen ids are remembered per destination (default 5 minutes). */
    public BrokerBuilder dedupWindow(Duration dedupWindow) {
        this.dedupWindow = Objects.requireNonNull(dedupWindow, "dedupWindow");
        return this;
    }

    /** How often leases and TTLs are checked (default 100 ms). */
    public BrokerBuilder sweepInterval(Duration sweepInterval) {
        this.sweepInterval = Objects.requireNonNull(sweepInterval, "sweepInterval");
        return this;
    }

    /**
     * Payload bytes kept in memory; beyond it, payloads stay in the store and are read back at delivery
     * (default: unlimited, right for the in-memory store).
     */
    public BrokerBuilder memoryBudget(long bytes) {
        if (bytes < 0) {
            throw MomException.invalid("memoryBudget must not be negative");
        }
        this.memoryBudget = bytes;
        return this;
    }

    public BrokerBuilder nodeId(String nodeId) {
        this.nodeId = Objects.requireNonNull(nodeId, "nodeId");
        return this;
    }

    /** Validates the settings and returns an unstarted broker. */
    public Broker build() {
        if (dedupWindow.isNegative() || dedupWindow.isZero()) {
            throw MomException.invalid("dedupWindow must be positive");
        }
        if (sweepInterval.toMillis() < 1) {
            throw MomException.invalid("sweepInterval must be at least 1 ms");
        }
        return new CoreBroker(new CoreBroker.Config(
                store != null ? store : new InMemoryMessageStore(),
                replicator,
                clusterView != null ? clusterView : ClusterView.singleNode(nodeId),
                events, clock,
                scheduler != null ? scheduler : new ThreadPoolScheduler("mom-broker-" + nodeId),
                ids != null ? ids : IdGenerator.randomPrefixed(),
                limits, dedupWindow, sweepInterval, memoryBudget));
    }
}
