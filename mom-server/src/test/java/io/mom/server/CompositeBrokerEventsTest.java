package io.mom.server;

import io.mom.core.SubscriptionRef;
import io.mom.core.spi.BrokerEvents;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class CompositeBrokerEventsTest {
    @Test
    void everyListenerHearsEveryEventEvenWhenAnEarlierOneThrows() {
        List<String> heard = new ArrayList<>();
        BrokerEvents failing = new BrokerEvents() {
            @Override
            public void published(String destination, int count, long bytes) {
                throw new IllegalStateException("broken listener");
            }
        };
        BrokerEvents recording = new BrokerEvents() {
            @Override
            public void published(String destination, int count, long bytes) {
                heard.add("published " + destination + " " + count + " " + bytes);
            }

            @Override
            public void acked(SubscriptionRef subscription, int count) {
                heard.add("acked " + subscription + " " + count);
            }

            @Override
            public void storeCommitted(int operations, long nanos) {
                heard.add("committed " + operations + " " + nanos);
            }
        };
        BrokerEvents all = new CompositeBrokerEvents(List.of(failing, recording));

        all.published("q", 2, 10);
        all.acked(SubscriptionRef.queue("q"), 1);
        all.storeCommitted(3, 99);

        assertThat(heard).containsExactly("published q 2 10", "acked queue:q 1", "committed 3 99");
    }
}
