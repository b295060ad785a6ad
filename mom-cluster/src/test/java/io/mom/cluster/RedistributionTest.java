package io.mom.cluster;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static io.mom.cluster.TestNodes.GRACE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Redistribution after the grace period, timed by the injected manual clock (ZooKeeper itself is real). */
class RedistributionTest extends SharedZooKeeperTest {
    /** Starts the nodes, places one partition per node and returns a node that is not the controller. */
    private String placeAndPickNonController(String... nodes) {
        cluster.start(nodes);
        cluster.node(nodes[0]).placements().declare("orders", nodes.length);
        cluster.node(nodes[0]).placements().whenPlaced("orders").join();
        String controller = cluster.awaitController().settings().nodeId();
        return List.of(nodes).stream().filter(n -> !n.equals(controller)).findFirst().orElseThrow();
    }

    private ZkCluster controller() {
        return cluster.awaitController();
    }

    private Map<PartitionId, Placement> placements() {
        return controller().placements().placements();
    }

    private Set<PartitionId> partitionsHeldBy(String node) {
        return placements().values().stream().filter(p -> p.assigned().contains(node)).map(Placement::id)
                .collect(Collectors.toSet());
    }

    /** Stops a node and waits until the controller has noted it missing and taken it out of every in-sync set. */
    private Instant stopAndAwaitMissing(String node) {
        Instant stoppedAt = cluster.clock.instant();
        cluster.stop(node);
        await().untilAsserted(() -> {
            assertThat(controller().controller().missingSince()).containsKey(node);
            assertThat(placements().values()).allSatisfy(p -> {
                assertThat(p.leader()).isNotEqualTo(node);
                assertThat(p.inSync()).doesNotContain(node);
            });
        });
        return stoppedAt;
    }

    @Test
    void copiesOfANodeAbsentLongerThanTheGracePeriodMoveToOtherNodesAndCatchUpThere() {
        String victim = placeAndPickNonController("a", "b", "c");
        Set<PartitionId> held = partitionsHeldBy(victim);
        Instant stoppedAt = stopAndAwaitMissing(victim);
        assertThat(controller().controller().missingSince()).containsEntry(victim, stoppedAt);

        cluster.clock.advance(GRACE.minusSeconds(1));
        controller().controller().reconcile().join();
        assertThat(partitionsHeldBy(victim)).as("still within the grace period").isEqualTo(held);

        cluster.clock.advance(Duration.ofSeconds(2));

        await().untilAsserted(() -> assertThat(partitionsHeldBy(victim)).isEmpty());
        Map<PartitionId, Placement> after = placements();
        assertThat(after.values()).allSatisfy(p -> assertThat(p.replicas()).hasSize(1));
        for (PartitionId id : held) {
            Placement moved = after.get(id);
            String newCopy = moved.replicas().get(0);
            assertThat(moved.roleOf(newCopy)).as("a new copy must catch up first")
                    .isEqualTo(PartitionRole.CATCHING_UP_REPLICA);
            cluster.node(newCopy).placements().reportCaughtUp(id.destination(), id.partition(), newCopy);
        }
        await().untilAsserted(() -> assertThat(placements().values())
                .allSatisfy(p -> assertThat(p.inSync()).containsExactlyInAnyOrderElementsOf(p.assigned())));
        await().untilAsserted(() -> assertThat(controller().controller().missingSince()).doesNotContainKey(victim));
    }

    @Test
    void aNodeBackWithinTheGracePeriodKeepsItsCopiesAndIsInSyncAgainOnceCaughtUp() {
        String victim = placeAndPickNonController("a", "b", "c");
        Set<PartitionId> held = partitionsHeldBy(victim);
        stopAndAwaitMissing(victim);

        cluster.clock.advance(GRACE.dividedBy(2));
        ZkCluster back = cluster.start(victim);
        await().untilAsserted(() -> assertThat(controller().controller().missingSince()).doesNotContainKey(victim));
        cluster.clock.advance(GRACE);
        controller().controller().reconcile().join();

        assertThat(partitionsHeldBy(victim)).isEqualTo(held);
        for (PartitionId id : held) {
            assertThat(placements().get(id).roleOf(victim)).isEqualTo(PartitionRole.CATCHING_UP_REPLICA);
            back.placements().reportCaughtUp(id.destination(), id.partition(), victim);
        }
        await().untilAsserted(() -> assertThat(held).allSatisfy(id ->
                assertThat(placements().get(id).roleOf(victim)).isEqualTo(PartitionRole.IN_SYNC_REPLICA)));
    }

    @Test
    void aNodeBackAfterTheGracePeriodJoinsCleanWithoutAssignments() {
        String victim = placeAndPickNonController("a", "b", "c");
        stopAndAwaitMissing(victim);
        cluster.clock.advance(GRACE.plusSeconds(1));
        await().untilAsserted(() -> assertThat(partitionsHeldBy(victim)).isEmpty());

        ZkCluster back = cluster.start(victim);
        cluster.awaitMembers("a", "b", "c");
        controller().controller().reconcile().join();
        controller().controller().reconcile().join();

        assertThat(partitionsHeldBy(victim)).isEmpty();
        assertThat(back.placements().placements().values())
                .allSatisfy(p -> assertThat(p.roleOf(victim)).isEqualTo(PartitionRole.NONE));
        assertThat(back.view().isLocalLeader("orders", 0)).isFalse();
    }

    @Test
    void theAbsenceClockSurvivesAControllerChange() {
        String victim = placeAndPickNonController("a", "b", "c", "d");
        Instant missingAt = stopAndAwaitMissing(victim);
        cluster.clock.advance(GRACE.dividedBy(2));

        String oldController = controller().settings().nodeId();
        cluster.stop(oldController);
        await().untilAsserted(() -> assertThat(controller().settings().nodeId()).isNotEqualTo(oldController));
        await().untilAsserted(() -> assertThat(controller().controller().missingSince())
                .containsEntry(victim, missingAt).containsKey(oldController));

        cluster.clock.advance(GRACE.dividedBy(2).plusSeconds(1));

        await().untilAsserted(() -> assertThat(partitionsHeldBy(victim)).isEmpty());
        assertThat(partitionsHeldBy(oldController)).as("absent only half the grace period").isNotEmpty();
    }
}
