package io.mom.server.cluster;

import io.mom.core.AckResult;
import io.mom.core.ErrorCode;
import io.mom.core.MomException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** Forwarded acks: merged while calls are out, each ack gets its own share of the answer. */
class AckCoalescerTest {
    private final List<List<String>> calls = new ArrayList<>();
    private final List<CompletableFuture<AckResult>> answers = new ArrayList<>();
    private final AtomicInteger idle = new AtomicInteger();

    private AckCoalescer coalescer(int maxInFlight) {
        return new AckCoalescer(receipts -> {
            calls.add(receipts);
            CompletableFuture<AckResult> answer = new CompletableFuture<>();
            answers.add(answer);
            return answer;
        }, maxInFlight, idle::incrementAndGet);
    }

    @Test
    void acksMadeWhileTheCallsAreOutLeaveTogetherAndShareTheAnswer() {
        AckCoalescer acks = coalescer(1);
        CompletableFuture<AckResult> first = acks.ack(List.of("a"));
        CompletableFuture<AckResult> second = acks.ack(List.of("b", "c"));
        CompletableFuture<AckResult> third = acks.ack(List.of("d"));
        assertThat(calls).containsExactly(List.of("a"));

        answers.get(0).complete(new AckResult(1, List.of()));
        assertThat(first.join()).isEqualTo(new AckResult(1, List.of()));
        assertThat(calls).containsExactly(List.of("a"), List.of("b", "c", "d"));
        assertThat(second).isNotDone();

        answers.get(1).complete(new AckResult(2, List.of("c")));
        assertThat(second.join()).isEqualTo(new AckResult(1, List.of("c")));
        assertThat(third.join()).isEqualTo(new AckResult(1, List.of()));
        assertThat(idle.get()).isEqualTo(1);
        assertThat(acks.idle()).isTrue();
    }

    @Test
    void upToTheLimitAcksGoOutAtOnce() {
        AckCoalescer acks = coalescer(2);
        acks.ack(List.of("a"));
        acks.ack(List.of("b"));
        acks.ack(List.of("c"));
        assertThat(calls).containsExactly(List.of("a"), List.of("b"));
    }

    @Test
    void aFailedCallFailsEveryAckItCarried() {
        AckCoalescer acks = coalescer(1);
        acks.ack(List.of("a"));
        CompletableFuture<AckResult> second = acks.ack(List.of("b"));
        CompletableFuture<AckResult> third = acks.ack(List.of("c"));
        answers.get(0).complete(new AckResult(1, List.of()));
        MomException down = new MomException(ErrorCode.UNAVAILABLE, "leader down");
        answers.get(1).completeExceptionally(down);

        assertThat(second).isCompletedExceptionally();
        assertThat(third).isCompletedExceptionally();
        assertThat(second.handle((r, e) -> e).join()).isSameAs(down);
        assertThat(acks.idle()).isTrue();
    }
}
