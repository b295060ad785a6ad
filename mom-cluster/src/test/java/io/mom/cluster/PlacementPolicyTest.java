package io.mom.cluster;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class PlacementPolicyTest {
    private final PlacementPolicy policy = new PlacementPolicy(2);

    private static Map<String, Member> live(String... ids) {
        Map<String, Member> live = new LinkedHashMap<>();
        for (String id : ids) {
            live.put(id, new Member(id, "", "", 0));
        }
        return live;
    }

    private static List<PartitionId> partitions(String destination, int count) {
        return IntStream.range(0, count).mapToObj(p -> new PartitionId(destination, p)).toList();
    }

    private static Placement placement(String leader, List<String> replicas, Set<String> inSync, long epoch) {
        return new Placement(new PartitionId("q", 0), leader, replicas, inSync, epoch, 5);
    }

    @Test
    void newPartitionsSpreadLeadersAndCopiesEvenlyOverThreeNodes() {
        List<Placement> placed = policy.plan(List.of(), partitions("orders", 6), live("a", "b", "c"), Set.of());

        assertThat(placed).hasSize(6).allSatisfy(p -> {
            assertThat(p.replicas()).hasSize(1).doesNotContain(p.leader());
            assertThat(p.inSync()).containsExactlyInAnyOrderElementsOf(p.assigned());
            assertThat(p.epoch()).isEqualTo(1);
            assertThat(p.version()).isEqualTo(-1);
        });
        Map<String, Integer> leads = new HashMap<>();
        Map<String, Integer> holds = new HashMap<>();
        placed.forEach(p -> {
            leads.merge(p.leader(), 1, Integer::sum);
            p.assigned().forEach(n -> holds.merge(n, 1, Integer::sum));
        });
        assertThat(leads).containsOnly(Map.entry("a", 2), Map.entry("b", 2), Map.entry("c", 2));
        assertThat(holds).containsOnly(Map.entry("a", 4), Map.entry("b", 4), Map.entry("c", 4));
    }

    @Test
    void spreadCountsPartitionsAlreadyPlacedThenPrefersTheLessLoadedNode() {
        Map<String, Member> live = new LinkedHashMap<>();
        live.put("a", new Member("a", "", "", 50));
        live.put("b", new Member("b", "", "", 10));
        live.put("c", new Member("c", "", "", 0));
        Placement existing = new Placement(new PartitionId("old", 0), "c", List.of("b"), Set.of("c", "b"), 1, 0);

        List<Placement> placed = policy.plan(List.of(existing), partitions("new", 1), live, Set.of());

        // "a" holds nothing, so it leads despite its load; "b" and "c" hold one copy each, so the
        // less loaded "c" gets the follower.
        assertThat(placed).singleElement().satisfies(p -> {
            assertThat(p.leader()).isEqualTo("a");
            assertThat(p.replicas()).containsExactly("c");
        });
    }

    @Test
    void factorThreeOnThreeNodesPutsACopyOnEveryNode() {
        List<Placement> placed = new PlacementPolicy(3).plan(List.of(), partitions("t", 3), live("a", "b", "c"),
                Set.of());

        assertThat(placed).allSatisfy(p -> assertThat(p.assigned()).containsExactlyInAnyOrder("a", "b", "c"));
        assertThat(placed).extracting(Placement::leader).containsExactlyInAnyOrder("a", "b", "c");
    }

    @Test
    void aLoneNodeGetsThePartitionAndALaterNodeJoinsAsCatchingUpFollower() {
        Placement alone = policy.plan(List.of(), partitions("q", 1), live("a"), Set.of()).get(0);
        assertThat(alone.replicas()).isEmpty();

        List<Placement> next = policy.plan(List.of(alone.withVersion(0)), List.of(), live("a", "b"), Set.of());

        assertThat(next).singleElement().satisfies(p -> {
            assertThat(p.replicas()).containsExactly("b");
            assertThat(p.roleOf("b")).isEqualTo(PartitionRole.CATCHING_UP_REPLICA);
            assertThat(p.epoch()).isEqualTo(1);
            assertThat(p.version()).isZero();
        });
    }

    @Test
    void deadLeaderIsReplacedByAnInSyncFollowerWithTheNextEpoch() {
        Placement current = placement("a", List.of("b", "c"), Set.of("a", "b", "c"), 4);

        List<Placement> next = new PlacementPolicy(3).plan(List.of(current), List.of(), live("b", "c"), Set.of());

        assertThat(next).singleElement().satisfies(p -> {
            assertThat(p.leader()).isIn("b", "c");
            assertThat(p.epoch()).isEqualTo(5);
            assertThat(p.replicas()).contains("a");
            assertThat(p.roleOf("a")).isEqualTo(PartitionRole.CATCHING_UP_REPLICA);
            assertThat(p.version()).isEqualTo(5);
        });
    }

    @Test
    void onlyAnInSyncFollowerIsPromoted() {
        Placement current = placement("a", List.of("b", "c"), Set.of("a", "c"), 4);

        Placement next = new PlacementPolicy(3).plan(List.of(current), List.of(), live("b", "c"), Set.of()).get(0);

        assertThat(next.leader()).isEqualTo("c");
    }

    @Test
    void withoutALiveInSyncFollowerThePartitionStaysLeaderless() {
        Placement current = placement("a", List.of("b"), Set.of("a"), 4);

        assertThat(policy.plan(List.of(current), List.of(), live("b", "c"), Set.of())).isEmpty();
    }

    @Test
    void deadFollowerLeavesTheInSyncSetWithTheEpochUnchanged() {
        Placement current = placement("a", List.of("b"), Set.of("a", "b"), 4);

        Placement next = policy.plan(List.of(current), List.of(), live("a", "c"), Set.of()).get(0);

        assertThat(next.inSync()).containsExactly("a");
        assertThat(next.replicas()).containsExactly("b");
        assertThat(next.epoch()).isEqualTo(4);
    }

    @Test
    void fallenFollowerIsReplacedByANodeThatMustCatchUp() {
        Placement current = placement("a", List.of("b"), Set.of("a"), 4);

        Placement next = policy.plan(List.of(current), List.of(), live("a", "c"), Set.of("b")).get(0);

        assertThat(next.replicas()).containsExactly("c");
        assertThat(next.inSync()).containsExactly("a");
        assertThat(next.epoch()).isEqualTo(4);
    }

    @Test
    void fallenFollowerWithNoSpareNodeIsStillUnassigned() {
        Placement current = placement("a", List.of("b"), Set.of("a"), 4);

        Placement next = policy.plan(List.of(current), List.of(), live("a"), Set.of("b")).get(0);

        assertThat(next.replicas()).isEmpty();
    }

    @Test
    void fallenLeaderIsPromotedAwayAndUnassignedInOnePass() {
        Placement current = placement("a", List.of("b"), Set.of("a", "b"), 4);

        Placement next = policy.plan(List.of(current), List.of(), live("b", "c"), Set.of("a")).get(0);

        assertThat(next.leader()).isEqualTo("b");
        assertThat(next.replicas()).containsExactly("c");
        assertThat(next.inSync()).containsExactly("b");
        assertThat(next.epoch()).isEqualTo(5);
    }

    @Test
    void planOfAHealthyClusterChangesNothing() {
        List<Placement> placed = new ArrayList<>();
        policy.plan(List.of(), partitions("q", 4), live("a", "b", "c"), Set.of()).forEach(p -> placed.add(p.withVersion(0)));

        assertThat(policy.plan(placed, List.of(), live("a", "b", "c"), Set.of())).isEmpty();
    }

    @Test
    void caughtUpReportCountsOnlyAtTheCurrentEpochForALiveFollower() {
        Placement current = placement("a", List.of("b"), Set.of("a"), 4);

        assertThat(policy.caughtUp(current, "b", 4, Set.of("a", "b")))
                .hasValueSatisfying(p -> assertThat(p.inSync()).containsExactlyInAnyOrder("a", "b"));
        assertThat(policy.caughtUp(current, "b", 3, Set.of("a", "b"))).isEmpty();
        assertThat(policy.caughtUp(current, "b", 4, Set.of("a"))).isEmpty();
        assertThat(policy.caughtUp(current, "z", 4, Set.of("a", "z"))).isEmpty();
        assertThat(policy.caughtUp(current, "a", 4, Set.of("a", "b"))).isEmpty();
    }
}
