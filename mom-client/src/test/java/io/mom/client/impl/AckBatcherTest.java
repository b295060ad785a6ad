package io.mom.client.impl;

import io.mom.client.AckResult;
import io.mom.client.Source;
import io.mom.client.UnavailableException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class AckBatcherTest {
    private static final Source Q = Source.queue("q");

    /** Records each ack call and lets the test complete it. */
    private final List<List<String>> calls = new ArrayList<>();
    private final List<CompletableFuture<AckResult>> answers = new ArrayList<>();
    private final AckBatcher batcher = new AckBatcher((source, receipts) -> {
        calls.add(receipts);
        CompletableFuture<AckResult> f = new CompletableFuture<>();
        answers.add(f);
        return f;
    });

    @Test
    void anIdleSourceAcksAtOnceAndAcksWhileACallIsInFlightGoOutTogetherNext() {
        CompletableFuture<Boolean> a = batcher.ack(Q, "r1");
        assertThat(calls).containsExactly(List.of("r1"));
        CompletableFuture<Boolean> b = batcher.ack(Q, "r2");
        CompletableFuture<Boolean> c = batcher.ack(Q, "r3");
        assertThat(calls).hasSize(1);
        answers.get(0).complete(new AckResult(1, List.of()));
        assertThat(a).isCompletedWithValue(true);
        assertThat(calls).containsExactly(List.of("r1"), List.of("r2", "r3"));
        answers.get(1).complete(new AckResult(1, List.of("r3")));
        assertThat(b).isCompletedWithValue(true);
        assertThat(c).as("an invalid receipt is reported as not applied").isCompletedWithValue(false);
        batcher.ack(Q, "r4");
        assertThat(calls).as("idle again: sent at once").hasSize(3);
    }

    @Test
    void sourcesHaveIndependentLanes() {
        batcher.ack(Q, "r1");
        batcher.ack(Source.subscription("t", "s"), "x1");
        assertThat(calls).containsExactly(List.of("r1"), List.of("x1"));
    }

    @Test
    void aFailedCallFailsItsAcksAndTheNextBatchStillGoesOut() {
        CompletableFuture<Boolean> a = batcher.ack(Q, "r1");
        CompletableFuture<Boolean> b = batcher.ack(Q, "r2");
        answers.get(0).completeExceptionally(new UnavailableException("UNAVAILABLE", 503, "down"));
        assertThat(a).isCompletedExceptionally();
        assertThat(calls).containsExactly(List.of("r1"), List.of("r2"));
        answers.get(1).complete(new AckResult(1, List.of()));
        assertThat(b).isCompletedWithValue(true);
    }

    @Test
    void aLongQueueIsSentInBatchesOfAtMostTheLimit() {
        batcher.ack(Q, "first");
        IntStream.range(0, AckBatcher.MAX_BATCH + 10).forEach(i -> batcher.ack(Q, "r" + i));
        answers.get(0).complete(new AckResult(1, List.of()));
        assertThat(calls.get(1)).hasSize(AckBatcher.MAX_BATCH);
        answers.get(1).complete(new AckResult(AckBatcher.MAX_BATCH, List.of()));
        assertThat(calls.get(2)).hasSize(10);
    }
}
