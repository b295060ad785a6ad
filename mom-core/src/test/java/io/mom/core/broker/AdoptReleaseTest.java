package io.mom.core.broker;

import io.mom.core.Delivery;
import io.mom.core.DestinationRef;
import io.mom.core.ErrorCode;
import io.mom.core.MomException;
import io.mom.core.SubscriptionRef;
import io.mom.core.internal.CoreBroker;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A cluster node hands one destination over without restarting: release stops serving it, adopt reloads it. */
class AdoptReleaseTest extends BrokerFixture {

    private CoreBroker core() {
        return (CoreBroker) broker;
    }

    @Test
    void releasedDestinationIsNoLongerServedAndItsStoreIsKept() {
        DestinationRef q = queue("q");
        publish(q, "1");

        assertThat(core().release("q")).isTrue();

        assertThatThrownBy(() -> broker.describe(q)).isInstanceOfSatisfying(MomException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
        assertThat(core().release("q")).isFalse();
        assertThat(core().adopt("q")).isTrue();
        assertThat(broker.describe(q).depth()).isEqualTo(1);
    }

    @Test
    void adoptedDestinationRedeliversUnackedMessagesAndKeepsAckedOnesGone() {
        DestinationRef q = queue("q");
        publish(q, "acked", "inflight", "waiting");
        List<Delivery> got = receive(SubscriptionRef.queue("q"), 2);
        ack(SubscriptionRef.queue("q"), got.subList(0, 1));
        core().release("q");

        assertThat(core().adopt("q")).isTrue();

        assertThat(broker.describe(q).owner()).isEqualTo("alice");
        assertThat(texts(receive(SubscriptionRef.queue("q"), 10))).containsExactlyInAnyOrder("inflight", "waiting");
    }

    @Test
    void adoptLoadsOnlyTheNamedDestinationAndLeavesServedOnesAlone() {
        DestinationRef q = queue("q");
        DestinationRef other = queue("other");
        publish(q, "a");
        publish(other, "b", "c");
        core().release("q");

        assertThat(core().adopt("q")).isTrue();
        assertThat(core().adopt("q")).isTrue();

        assertThat(broker.describe(q).depth()).isEqualTo(1);
        assertThat(broker.describe(other).depth()).isEqualTo(2);
        assertThat(texts(receive(SubscriptionRef.queue("other"), 10))).containsExactly("b", "c");
    }

    @Test
    void adoptingAnUnknownDestinationFindsNothing() {
        assertThat(core().adopt("nothing")).isFalse();
    }

    @Test
    void releaseEndsWaitingPullsAsUnavailable() {
        DestinationRef q = queue("q");
        var pending = broker.receive(ALICE, SubscriptionRef.queue("q"),
                io.mom.core.ReceiveRequest.of(1, java.time.Duration.ofSeconds(10)));

        core().release("q");

        assertThat(pending).isCompletedExceptionally();
        assertThatThrownBy(pending::join).hasCauseInstanceOf(MomException.class)
                .cause().satisfies(e -> assertThat(((MomException) e).code()).isEqualTo(ErrorCode.UNAVAILABLE));
    }
}
