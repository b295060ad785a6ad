package io.mom.server.cluster;

import io.mom.core.AckResult;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Forwards the acks of one caller and subscription to the leader with at most {@code maxInFlight}
 * calls at a time: acks made while that many calls are out are queued and leave together in one
 * call when a call returns. Each ack's future gets its own share of the merged answer (its receipts
 * the leader reported invalid; the others applied) or the call's failure. Acks carry no order
 * between them, so merging changes no outcome. Thread-safe.
 */
final class AckCoalescer {
    private record Waiting(List<String> receipts, CompletableFuture<AckResult> result) {
    }

    private final Function<List<String>, CompletableFuture<AckResult>> sender;
    private final int maxInFlight;
    private final Runnable idle;
    private List<Waiting> queued = new ArrayList<>();
    private int inFlight;

    /**
     * @param sender  makes one ack call to the leader
     * @param idle    runs when no call is out and nothing is queued (the owner may forget this instance)
     */
    AckCoalescer(Function<List<String>, CompletableFuture<AckResult>> sender, int maxInFlight, Runnable idle) {
        this.sender = sender;
        this.maxInFlight = maxInFlight;
        this.idle = idle;
    }

    CompletableFuture<AckResult> ack(List<String> receipts) {
        CompletableFuture<AckResult> result = new CompletableFuture<>();
        List<Waiting> batch = null;
        synchronized (this) {
            queued.add(new Waiting(List.copyOf(receipts), result));
            if (inFlight < maxInFlight) {
                inFlight++;
                batch = queued;
                queued = new ArrayList<>();
            }
        }
        if (batch != null) {
            send(batch);
        }
        return result;
    }

    private void send(List<Waiting> batch) {
        List<String> all;
        if (batch.size() == 1) {
            all = batch.get(0).receipts();
        } else {
            all = new ArrayList<>();
            batch.forEach(w -> all.addAll(w.receipts()));
        }
        CompletableFuture<AckResult> call;
        try {
            call = sender.apply(all);
        } catch (RuntimeException e) {
            call = CompletableFuture.failedFuture(e);
        }
        call.whenComplete((r, error) -> {
            List<Waiting> next;
            boolean nowIdle = false;
            synchronized (this) {
                if (queued.isEmpty()) {
                    inFlight--;
                    next = null;
                    nowIdle = inFlight == 0;
                } else {
                    next = queued;
                    queued = new ArrayList<>();
                }
            }
            if (next != null) {
                send(next);
            }
            settle(batch, r, error);
            if (nowIdle) {
                idle.run();
            }
        });
    }

    private static void settle(List<Waiting> batch, AckResult merged, Throwable error) {
        if (error != null) {
            batch.forEach(w -> w.result().completeExceptionally(error));
        } else if (batch.size() == 1) {
            batch.get(0).result().complete(merged);
        } else {
            Set<String> invalid = new HashSet<>(merged.invalid());
            for (Waiting w : batch) {
                List<String> mine = w.receipts().stream().filter(invalid::contains).toList();
                w.result().complete(new AckResult(w.receipts().size() - mine.size(), mine));
            }
        }
    }

    synchronized boolean idle() {
        return inFlight == 0 && queued.isEmpty();
    }
}
