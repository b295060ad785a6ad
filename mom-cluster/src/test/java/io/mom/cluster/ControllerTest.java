package io.mom.cluster;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class ControllerTest extends SharedZooKeeperTest {
    @Test
    void exactlyOneNodeIsControllerAndEveryNodeKnowsWhich() {
        List<ZkCluster> nodes = cluster.start("a", "b", "c");

        ZkCluster controller = cluster.awaitController();

        await().untilAsserted(() -> assertThat(nodes).allSatisfy(node -> assertThat(node.controller().controllerId())
                .hasValue(controller.settings().nodeId())));
    }

    @Test
    void anotherNodeIsElectedWhenTheControllersClientCloses() {
        cluster.start("a", "b", "c");
        String first = cluster.awaitController().settings().nodeId();

        cluster.stop(first);

        ZkCluster second = cluster.awaitController();
        assertThat(second.settings().nodeId()).isNotEqualTo(first);
        await().untilAsserted(() -> assertThat(cluster.node(second.settings().nodeId()).controller().controllerId())
                .isEqualTo(Optional.of(second.settings().nodeId())));

        // The new controller does the controller's work: it places a new destination.
        second.placements().declare("after-election", 2);
        assertThat(second.placements().whenPlaced("after-election")).succeedsWithin(Duration.ofSeconds(10))
                .asList().hasSize(2);
    }

    @Test
    void onlyTheControllerWritesPlacements() {
        cluster.start("a", "b");
        ZkCluster controller = cluster.awaitController();
        ZkCluster other = cluster.node(controller.settings().nodeId().equals("a") ? "b" : "a");

        other.placements().declare("q", 1);
        Placement placed = other.placements().whenPlaced("q").join().get(0);
        Placement moved = new Placement(placed.id(), placed.replicas().get(0), List.of(placed.leader()),
                placed.inSync(), placed.epoch() + 1, placed.version());

        // A write fenced by an election node that is not (or no longer) the controller's fails even
        // with the right version; the controller's own fence passes.
        assertThat(other.placements().write(placed, moved, ClusterPaths.CONTROLLER + "/gone-latch")).isEmpty();
        assertThat(other.placements().readFresh(placed.id())).hasValue(placed);
    }
}
