package io.mom.server.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.mom.cluster.Member;
import io.mom.cluster.PartitionId;
import io.mom.cluster.Placement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** One key=value line per cluster event, derived from membership and placement changes. */
class ClusterEventLogTest {
    private final Logger logger = (Logger) LoggerFactory.getLogger(ClusterEventLog.LOGGER);
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
    private final ClusterEventLog log = new ClusterEventLog("n9");
    private final PartitionId orders = new PartitionId("orders", 0);

    @BeforeEach
    void capture() {
        lines.start();
        logger.addAppender(lines);
        logger.setLevel(Level.INFO);
    }

    @AfterEach
    void release() {
        logger.detachAppender(lines);
        logger.setLevel(null);
    }

    private List<String> messages() {
        return lines.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }

    @Test
    void membershipChangesAreOneLineEach() {
        log.joined(new Member("n2", "10.0.0.2:8080", "10.0.0.2:9090", 0.5));
        log.left("n2");
        log.nodeFallen("n2", Duration.ofMinutes(10));
        log.controllerElected("n1");
        assertThat(messages()).containsExactly(
                "event=node_joined node=n2 rest=10.0.0.2:8080 grpc=10.0.0.2:9090 observer=n9",
                "event=node_left node=n2 observer=n9",
                "event=node_fallen node=n2 absent_ms=600000 observer=n9",
                "event=controller_elected node=n1 observer=n9");
    }

    @Test
    void aNewLeaderAtANewEpochIsAFailover() {
        Placement before = new Placement(orders, "n1", List.of("n2"), Set.of("n1", "n2"), 3, 7);
        Placement after = new Placement(orders, "n2", List.of(), Set.of("n2"), 4, 8);
        log.changed(orders, Optional.of(before), Optional.of(after));
        assertThat(messages()).contains(
                "event=failover destination=orders partition=0 from=n1 to=n2 epoch=4 insync=n2 observer=n9",
                "event=redistribution destination=orders partition=0 added=- removed=n1 replicas=n2 observer=n9",
                "event=insync_changed destination=orders partition=0 insync=n2 joined=- left=n1 observer=n9");
    }

    @Test
    void aRebuiltReplicaIsARedistributionAndItsCatchUpAnInSyncChange() {
        Placement lost = new Placement(orders, "n1", List.of("n2"), Set.of("n1"), 3, 7);
        Placement moved = new Placement(orders, "n1", List.of("n3"), Set.of("n1"), 3, 8);
        Placement caughtUp = new Placement(orders, "n1", List.of("n3"), Set.of("n1", "n3"), 3, 9);
        log.changed(orders, Optional.of(lost), Optional.of(moved));
        log.changed(orders, Optional.of(moved), Optional.of(caughtUp));
        assertThat(messages()).containsExactly(
                "event=redistribution destination=orders partition=0 added=n3 removed=n2 replicas=n1,n3 observer=n9",
                "event=insync_changed destination=orders partition=0 insync=n1,n3 joined=n3 left=- observer=n9");
    }

    @Test
    void firstLoadsAndRemovalsStayAtDebug() {
        log.changed(orders, Optional.empty(), Optional.of(Placement.initial(orders, "n1", List.of("n2"))));
        assertThat(messages()).isEmpty();
    }
}
