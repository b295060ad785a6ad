package io.mom.core.broker;

import io.mom.core.Broker;
import io.mom.core.Delivery;
import io.mom.core.DestinationRef;
import io.mom.core.OutgoingMessage;
import io.mom.core.SubscriptionRef;
import io.mom.core.internal.CoreBroker;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Payloads beyond the memory budget stay in the store and are read back at delivery. */
class MemoryBudgetTest extends BrokerFixture {

    @Override
    Broker newBroker() {
        return Broker.builder().store(store).clock(time).scheduler(time).memoryBudget(2048).build().start();
    }

    static byte[] filled(int value) {
        byte[] b = new byte[1024];
        Arrays.fill(b, (byte) value);
        return b;
    }

    @Test
    void messagesBeyondTheBudgetAreDeliveredWithTheirPayloadsReadFromTheStore() {
        DestinationRef q = queue("q");
        for (int i = 0; i < 5; i++) {
            broker.publish(ALICE, q, OutgoingMessage.of(filled(i))).join();
        }
        assertThat(((CoreBroker) broker).residentBytes()).isLessThanOrEqualTo(2048);

        List<Delivery> got = receive(SubscriptionRef.queue("q"), 10);

        assertThat(got).hasSize(5);
        for (int i = 0; i < 5; i++) {
            assertThat(got.get(i).message().payload()).isEqualTo(filled(i));
        }
        ack(SubscriptionRef.queue("q"), got);
        assertThat(((CoreBroker) broker).residentBytes()).isZero();
    }

    @Test
    void recoveryKeepsWithinTheBudget() {
        DestinationRef q = queue("q");
        for (int i = 0; i < 6; i++) {
            broker.publish(ALICE, q, OutgoingMessage.of(filled(i))).join();
        }
        broker.close();
        restart();

        assertThat(((CoreBroker) broker).residentBytes()).isLessThanOrEqualTo(2048);
        assertThat(receive(SubscriptionRef.queue("q"), 10)).extracting(d -> d.message().payload()[0])
                .containsExactly((byte) 0, (byte) 1, (byte) 2, (byte) 3, (byte) 4, (byte) 5);
    }
}
