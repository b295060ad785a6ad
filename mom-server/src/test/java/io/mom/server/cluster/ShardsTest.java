package io.mom.server.cluster;

import io.mom.core.DestinationOptions;
import io.mom.core.DestinationRef;
import io.mom.core.OutgoingMessage;
import io.mom.core.SubscriptionRef;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The mapping between a partitioned destination and its shards. */
class ShardsTest {
    @Test
    void shardsOfADestinationAndOfItsDeadLetterQueueAreNamedByPartition() {
        assertThat(Shards.ref(DestinationRef.queue("orders"), 3).name()).isEqualTo("orders~3");
        assertThat(Shards.ref(DestinationRef.queue("orders.dlq"), 3).name()).isEqualTo("orders~3.dlq");
        assertThat(Shards.ref(SubscriptionRef.topic("news", "audit"), 1))
                .isEqualTo(SubscriptionRef.topic("news~1", "audit"));
    }

    @Test
    void shardOptionsHaveOnePartitionAndShareTheMaximumLengthOut() {
        DestinationOptions options = DestinationOptions.builder().partitions(4).maxLength(10L).maxDeliveries(7).build();
        DestinationOptions shard = Shards.options(options);
        assertThat(shard.partitions()).isEqualTo(1);
        assertThat(shard.maxLength()).contains(3L);
        assertThat(shard.maxDeliveries()).isEqualTo(7);
    }

    @Test
    void aKeyAlwaysPicksOnePartitionAnIdTooAndOtherMessagesGoRoundRobin() {
        OutgoingMessage keyed = OutgoingMessage.builder(new byte[1]).key("customer-7").build();
        int p = Shards.partitionOf(keyed, 8, 0);
        for (int turn = 1; turn < 20; turn++) {
            assertThat(Shards.partitionOf(keyed, 8, turn)).isEqualTo(p);
        }
        OutgoingMessage withId = OutgoingMessage.builder(new byte[1]).id("order-1").build();
        assertThat(Shards.partitionOf(withId, 8, 5)).isEqualTo(Shards.partitionOf(withId, 8, 6));
        Set<Integer> spread = new HashSet<>();
        for (int turn = 0; turn < 8; turn++) {
            spread.add(Shards.partitionOf(OutgoingMessage.of("x"), 8, turn));
        }
        assertThat(spread).hasSize(8);
    }

    @Test
    void receiptsNameTheirPartitionAndAnythingElseIsNotAReceipt() {
        assertThat(Shards.receipt("2~abc.1", 3)).contains(new Shards.Receipt(2, "abc.1"));
        assertThat(Shards.receipt("12~abc.1", 16)).contains(new Shards.Receipt(12, "abc.1"));
        for (String bad : new String[]{"3~abc", "abc.1", "~abc", "1~", "x~abc", "123~abc", ""}) {
            assertThat(Shards.receipt(bad, 3)).as(bad).isEmpty();
        }
    }
}
