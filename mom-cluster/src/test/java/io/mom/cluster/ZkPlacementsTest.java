package io.mom.cluster;

import io.mom.core.ErrorCode;
import io.mom.core.MomException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class ZkPlacementsTest extends SharedZooKeeperTest {
    @Test
    void partitionsSpreadEvenlyOverThreeNodesAndEveryNodeSeesTheSamePlacements() {
        cluster.start("a", "b", "c");

        cluster.node("b").placements().declare("orders", 6);

        List<Placement> placed = cluster.node("b").placements().whenPlaced("orders").join();
        Map<String, Integer> leads = new HashMap<>();
        Map<String, Integer> holds = new HashMap<>();
        placed.forEach(p -> {
            assertThat(p.replicas()).hasSize(1).doesNotContain(p.leader());
            assertThat(p.epoch()).isEqualTo(1);
            leads.merge(p.leader(), 1, Integer::sum);
            p.assigned().forEach(n -> holds.merge(n, 1, Integer::sum));
        });
        assertThat(leads).containsOnly(Map.entry("a", 2), Map.entry("b", 2), Map.entry("c", 2));
        assertThat(holds).containsOnly(Map.entry("a", 4), Map.entry("b", 4), Map.entry("c", 4));
        for (String node : List.of("a", "c")) {
            await().untilAsserted(() -> assertThat(cluster.node(node).placements().placementsOf("orders"))
                    .isEqualTo(placed));
        }
    }

    @Test
    void aStaleVersionCannotOverwriteAPlacement() throws Exception {
        // No controller here: this proves the compare-and-set of ZkPlacements itself.
        try (ZkPlacements placements = new ZkPlacements(cluster.rawClient(), cluster.settings("a"))) {
            placements.start();
            placements.declare("q", 1);
            Placement created = placements.write(null, Placement.initial(new PartitionId("q", 0), "a", List.of("b")),
                    null).orElseThrow();
            Placement promoted = new Placement(created.id(), "b", List.of("a"), java.util.Set.of("b"), 2,
                    created.version());
            Placement staleWrite = new Placement(created.id(), "a", List.of("b"), java.util.Set.of("a"), 9,
                    created.version());

            assertThat(placements.compareAndSet(created, promoted)).isTrue();
            assertThat(placements.compareAndSet(created, staleWrite)).isFalse();

            Placement stored = placements.readFresh(created.id()).orElseThrow();
            assertThat(stored.sameAssignment(promoted)).isTrue();
            assertThat(stored.version()).isEqualTo(created.version() + 1);
            assertThat(placements.write(null, staleWrite, null)).as("create over an existing placement").isEmpty();
            await().untilAsserted(() -> assertThat(placements.placement("q", 0)).hasValue(stored));
        }
    }

    @Test
    void declaringIsIdempotentButAnotherPartitionCountConflicts() {
        cluster.start("a");
        ZkPlacements placements = cluster.node("a").placements();

        placements.declare("q", 2);
        placements.declare("q", 2);

        assertThat(placements.whenPlaced("q")).succeedsWithin(Duration.ofSeconds(10)).asList().hasSize(2);
        assertThatThrownBy(() -> placements.declare("q", 3)).isInstanceOf(MomException.class)
                .extracting(e -> ((MomException) e).code()).isEqualTo(ErrorCode.CONFLICT);
        await().untilAsserted(() -> assertThat(placements.declared()).containsEntry("q", 2));
    }

    @Test
    void listenersSeeNewPlacementsAndTheirRemoval() {
        cluster.start("a", "b");
        List<String> events = new CopyOnWriteArrayList<>();
        cluster.node("b").placements().addListener((id, previous, current) ->
                events.add(id + ":" + previous.map(p -> p.roleOf("b")).orElse(PartitionRole.NONE)
                        + "->" + current.map(p -> p.roleOf("b")).orElse(PartitionRole.NONE)));

        cluster.node("a").placements().declare("q", 1);
        Placement placed = cluster.node("a").placements().whenPlaced("q").join().get(0);
        PartitionRole role = placed.roleOf("b");
        assertThat(role).isIn(PartitionRole.LEADER, PartitionRole.IN_SYNC_REPLICA);
        await().untilAsserted(() -> assertThat(events).containsExactly("q#0:NONE->" + role));

        cluster.node("a").placements().remove("q");

        await().untilAsserted(() -> assertThat(events).containsExactly("q#0:NONE->" + role, "q#0:" + role + "->NONE"));
        assertThat(cluster.node("b").placements().placement("q", 0)).isEqualTo(Optional.empty());
        assertThat(cluster.node("b").placements().declared()).doesNotContainKey("q");
    }

    @Test
    void namesThatAreNotPlainPathSegmentsArePlacedToo() {
        cluster.start("a");
        ZkPlacements placements = cluster.node("a").placements();

        placements.declare("..", 1);

        assertThat(placements.whenPlaced("..")).succeedsWithin(Duration.ofSeconds(10)).asList()
                .singleElement().extracting(p -> ((Placement) p).id()).isEqualTo(new PartitionId("..", 0));
    }
}
