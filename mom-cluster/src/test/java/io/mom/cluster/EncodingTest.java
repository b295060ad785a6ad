package io.mom.cluster;

import io.mom.core.MomException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EncodingTest {

    @Test
    void keyValuesRoundTripAndUnknownLinesAreSkipped() {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("rest", "10.0.0.1:8080");
        fields.put("empty", "");
        fields.put("url", "a=b");

        Map<String, String> decoded = KeyValueCodec.decode(KeyValueCodec.encode(fields));

        assertThat(decoded).isEqualTo(fields);
        assertThat(KeyValueCodec.decode("junk\nk=v\n".getBytes(StandardCharsets.UTF_8))).containsOnlyKeys("k");
        assertThat(KeyValueCodec.decode(null)).isEmpty();
    }

    @Test
    void lineBreaksInValuesAreRefused() {
        assertThatThrownBy(() -> KeyValueCodec.encode(Map.of("k", "a\nb"))).isInstanceOf(MomException.class);
    }

    @Test
    void placementsRoundTripThroughTheirFields() {
        Placement placement = new Placement(new PartitionId("orders", 3), "a", List.of("b", "c"), Set.of("a", "c"), 7, 4);

        Placement decoded = Placement.fromFields(placement.id(),
                KeyValueCodec.decode(KeyValueCodec.encode(placement.toFields())), 4);

        assertThat(decoded).isEqualTo(placement);
    }

    @Test
    void placementInvariantsAreEnforced() {
        PartitionId id = new PartitionId("q", 0);
        assertThatThrownBy(() -> new Placement(id, "a", List.of("a"), Set.of("a"), 1, -1))
                .hasMessageContaining("exclude the leader");
        assertThatThrownBy(() -> new Placement(id, "a", List.of("b"), Set.of("b"), 1, -1))
                .hasMessageContaining("leader must be in sync");
        assertThatThrownBy(() -> new Placement(id, "a", List.of("b"), Set.of("a", "z"), 1, -1))
                .hasMessageContaining("not assigned");
        assertThatThrownBy(() -> new Placement(id, "a", List.of(), Set.of("a"), 0, -1))
                .hasMessageContaining("epoch");
    }

    @Test
    void rolesFollowTheInSyncSet() {
        Placement placement = new Placement(new PartitionId("q", 0), "a", List.of("b", "c"), Set.of("a", "b"), 2, 0);

        assertThat(placement.roleOf("a")).isEqualTo(PartitionRole.LEADER);
        assertThat(placement.roleOf("b")).isEqualTo(PartitionRole.IN_SYNC_REPLICA);
        assertThat(placement.roleOf("c")).isEqualTo(PartitionRole.CATCHING_UP_REPLICA);
        assertThat(placement.roleOf("d")).isEqualTo(PartitionRole.NONE);
        assertThat(placement.writable(2)).isTrue();
        assertThat(placement.writable(3)).isFalse();
    }

    @Test
    void anyDestinationNameBecomesOnePathSegment() {
        assertThat(ClusterPaths.destination("orders.v1")).isEqualTo("/placements/orders.v1");
        assertThat(ClusterPaths.destination("..")).isEqualTo("/placements/%2E%2E");
        assertThat(ClusterPaths.decodeKey(ClusterPaths.encodeKey("alice/ü b"))).isEqualTo("alice/ü b");
        assertThat(ClusterPaths.encodeKey("alice/ü b")).doesNotContain("/");
    }
}
