package io.mom.server.logging;

import io.mom.cluster.Member;
import io.mom.cluster.MembershipListener;
import io.mom.cluster.PartitionId;
import io.mom.cluster.Placement;
import io.mom.cluster.PlacementListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Logs cluster events as one {@code key=value} line each, on the logger {@code io.mom.cluster.events}:
 * nodes joining and leaving, the controller elected, nodes declared fallen, partition failovers (a new
 * leader at a new epoch), redistribution (replicas added or removed) and changes of the in-sync set.
 * It listens to membership and placement changes, so hanging it on a node's cluster view is enough; the
 * controller's own decisions ({@link #controllerElected}, {@link #nodeFallen}) are told directly.
 *
 * Each line names the node that saw the event ({@code observer=}), since every node logs what it sees.
 *
 * <p>Threading: callbacks come from one cache thread at a time, but every method is thread-safe anyway
 * (it keeps no mutable state).
 */
public final class ClusterEventLog implements MembershipListener, PlacementListener {
    /** The logger of cluster events. */
    public static final String LOGGER = "io.mom.cluster.events";
    private static final Logger log = LoggerFactory.getLogger(LOGGER);

    private final String observer;

    /** @param observer the id of the node this log runs on */
    public ClusterEventLog(String observer) {
        this.observer = observer;
    }

    @Override
    public void joined(Member member) {
        log.info("event=node_joined node={} rest={} grpc={} observer={}", member.nodeId(), member.restAddress(),
                member.grpcAddress(), observer);
    }

    @Override
    public void left(String nodeId) {
        log.warn("event=node_left node={} observer={}", nodeId, observer);
    }

    @Override
    public void registrationConflict(String nodeId) {
        log.error("event=node_registration_conflict node={} detail=\"another live process holds this node id\" "
                + "observer={}", nodeId, observer);
    }

    /** This node (or another) became the controller. */
    public void controllerElected(String nodeId) {
        log.info("event=controller_elected node={} observer={}", nodeId, observer);
    }

    /** A node stayed away longer than the grace period: its copies are rebuilt on other nodes. */
    public void nodeFallen(String nodeId, Duration absent) {
        log.warn("event=node_fallen node={} absent_ms={} observer={}", nodeId, absent.toMillis(), observer);
    }

    /** A copy of a partition was rebuilt on {@code node} from {@code source}. */
    public void replicaRebuilt(PartitionId partition, String node, String source, long messages, Duration took) {
        log.info("event=replica_rebuilt destination={} partition={} node={} source={} messages={} ms={} observer={}",
                partition.destination(), partition.partition(), node, source, messages, took.toMillis(), observer);
    }

    @Override
    public void changed(PartitionId id, Optional<Placement> previous, Optional<Placement> current) {
        if (previous.isEmpty() || current.isEmpty()) {
            // Creation, first load and removal follow destination changes, which are logged already.
            log.debug("event=placement_{} destination={} partition={} placement=\"{}\" observer={}",
                    current.isPresent() ? "set" : "removed", id.destination(), id.partition(),
                    current.isPresent() ? current.get() : previous.orElse(null), observer);
            return;
        }
        Placement before = previous.get();
        Placement after = current.get();
        if (!before.leader().equals(after.leader()) || before.epoch() != after.epoch()) {
            log.warn("event=failover destination={} partition={} from={} to={} epoch={} insync={} observer={}",
                    id.destination(), id.partition(), before.leader(), after.leader(), after.epoch(),
                    sorted(after.inSync()), observer);
        }
        if (!Set.copyOf(before.assigned()).equals(Set.copyOf(after.assigned()))) {
            log.info("event=redistribution destination={} partition={} added={} removed={} replicas={} observer={}",
                    id.destination(), id.partition(), minus(after.assigned(), before.assigned()),
                    minus(before.assigned(), after.assigned()), String.join(",", after.assigned()), observer);
        }
        if (!before.inSync().equals(after.inSync())) {
            log.info("event=insync_changed destination={} partition={} insync={} joined={} left={} observer={}",
                    id.destination(), id.partition(), sorted(after.inSync()),
                    minus(after.inSync(), before.inSync()), minus(before.inSync(), after.inSync()), observer);
        }
    }

    private static String sorted(Set<String> nodes) {
        return String.join(",", new TreeSet<>(nodes));
    }

    private static String minus(java.util.Collection<String> a, java.util.Collection<String> b) {
        List<String> out = new ArrayList<>(a);
        out.removeAll(b);
        return out.isEmpty() ? "-" : String.join(",", new TreeSet<>(out));
    }
}
