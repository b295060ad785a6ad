package io.mom.client.impl;

import io.mom.client.AckResult;
import io.mom.client.Source;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;

/**
 * Coalesces the acks of single messages: per source at most one ack call is in flight, and the acks
 * that arrive meanwhile go out together in the next call (up to {@link #MAX_BATCH} receipts). An idle
 * client acks at once; a busy one acks in batches, so asynchronous acks keep up with a push stream
 * without one request per message. Thread-safe.
 */
final class AckBatcher {
    /** Most receipts in one ack call. */
    static final int MAX_BATCH = 500;

    private record Pending(String receipt, CompletableFuture<Boolean> result) {
    }

    private static final class Lane {
        final List<Pending> waiting = new ArrayList<>();
        boolean inFlight;
    }

    private final BiFunction<Source, List<String>, CompletableFuture<AckResult>> send;
    private final Map<Source, Lane> lanes = new HashMap<>();

    /** @param send sends one ack call for a source */
    AckBatcher(BiFunction<Source, List<String>, CompletableFuture<AckResult>> send) {
        this.send = Objects.requireNonNull(send, "send");
    }

    /** Acks one receipt; completes with whether the server applied it. */
    CompletableFuture<Boolean> ack(Source source, String receipt) {
        CompletableFuture<Boolean> result = new CompletableFuture<>();
        List<Pending> batch;
        synchronized (this) {
            Lane lane = lanes.computeIfAbsent(source, s -> new Lane());
            lane.waiting.add(new Pending(receipt, result));
            batch = lane.inFlight ? null : take(lane);
        }
        if (batch != null) {
            flush(source, batch);
        }
        return result;
    }

    /** Takes the next batch of a lane and marks it in flight; the caller holds the lock. */
    private static List<Pending> take(Lane lane) {
        int n = Math.min(MAX_BATCH, lane.waiting.size());
        List<Pending> batch = new ArrayList<>(lane.waiting.subList(0, n));
        lane.waiting.subList(0, n).clear();
        lane.inFlight = true;
        return batch;
    }

    private void flush(Source source, List<Pending> batch) {
        List<String> receipts = batch.stream().map(Pending::receipt).toList();
        CompletableFuture<AckResult> call;
        try {
            call = send.apply(source, receipts);
        } catch (RuntimeException e) {
            call = CompletableFuture.failedFuture(e);
        }
        call.whenComplete((result, error) -> {
            if (error != null) {
                batch.forEach(p -> p.result().completeExceptionally(Errors.unwrap(error)));
            } else {
                Set<String> invalid = new HashSet<>(result.invalid());
                batch.forEach(p -> p.result().complete(!invalid.contains(p.receipt())));
            }
            List<Pending> next;
            synchronized (this) {
                Lane lane = lanes.get(source);
                lane.inFlight = false;
                if (lane.waiting.isEmpty()) {
                    lanes.remove(source);
                    next = null;
                } else {
                    next = take(lane);
                }
            }
            if (next != null) {
                flush(source, next);
            }
        });
    }
}
