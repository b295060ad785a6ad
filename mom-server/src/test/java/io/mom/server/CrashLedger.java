package io.mom.server;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the clients of the crash test know for sure, across server runs, and the violations of the durability
 * contract seen so far. Thread-safe (one monitor).
 *
 * <p>Delivery counts are persisted lazily: a count is known to be durable only once a durable write (a publish
 * or an ack) sent <em>after</em> the delivery was received has been confirmed, since the store writes in order.
 * A logical clock tells which: each received delivery takes a tick, each durable request takes one before it is
 * sent, and its confirmation raises the {@link #watermark}. A delivery whose tick is below the watermark at the
 * kill must come back with a higher count; any other must come back with at least the same count.
 */
final class CrashLedger {
    /** The last delivery of a message seen by a client. */
    private record Seen(int count, long tick, int run) {
    }

    private final AtomicLong clock = new AtomicLong();
    private final AtomicLong watermark = new AtomicLong();
    private final Set<String> sent = new HashSet<>();
    private final Set<String> published = new HashSet<>();
    private final Set<String> ackSent = new HashSet<>();
    private final Set<String> acked = new HashSet<>();
    private final Map<String, Seen> lastSeen = new HashMap<>();
    /** Deliveries unacked (no ack even sent) when their server was killed: each must come back. */
    private final Set<String> mustReturn = new HashSet<>();
    private final Map<Integer, Long> watermarkAtKill = new HashMap<>();
    private final List<String> violations = new ArrayList<>();
    private int run;
    private long publishedInRun;
    private long ackedInRun;
    private long inFlightAtKills;
    private long returned;

    synchronized void startRun(int run) {
        this.run = run;
        publishedInRun = 0;
        ackedInRun = 0;
    }

    /** A tick for a durable request about to be sent. */
    long tickBeforeSend() {
        return clock.incrementAndGet();
    }

    synchronized void sending(List<String> ids) {
        sent.addAll(ids);
    }

    /** The publish sent at {@code tick} was answered 201 with these ids. */
    synchronized void published(List<String> ids, long tick) {
        published.addAll(ids);
        publishedInRun += ids.size();
        watermark.accumulateAndGet(tick, Math::max);
    }

    /** Records a delivery; returns false when it breaks the contract. */
    synchronized boolean delivered(String id, int count) {
        long tick = clock.incrementAndGet();
        Seen previous = lastSeen.get(id);
        if (!sent.contains(id)) {
            violations.add("run " + run + ": delivered " + id + ", which was never published");
        } else if (acked.contains(id)) {
            violations.add("run " + run + ": " + id + " came back (count " + count + ") after its ack was confirmed");
        } else if (previous != null && previous.run == run) {
            violations.add("run " + run + ": " + id + " delivered twice in one run (lease cannot expire)");
        } else if (previous != null) {
            boolean countWasDurable = previous.tick < watermarkAtKill.getOrDefault(previous.run, 0L);
            if (count < previous.count || (countWasDurable && count <= previous.count)) {
                violations.add("run " + run + ": " + id + " came back with count " + count + " after count "
                        + previous.count + (countWasDurable ? " was made durable" : ""));
            }
        }
        if (mustReturn.remove(id)) {
            returned++;
        }
        lastSeen.put(id, new Seen(count, tick, run));
        return violations.isEmpty();
    }

    synchronized void ackSending(List<String> ids) {
        ackSent.addAll(ids);
    }

    /** The ack sent at {@code tick} was answered 200: these ids are done for good. */
    synchronized void acked(List<String> ids, long tick) {
        acked.addAll(ids);
        ackedInRun += ids.size();
        watermark.accumulateAndGet(tick, Math::max);
    }

    synchronized void violation(String what) {
        violations.add("run " + run + ": " + what);
    }

    /** Call after the kill, once every client thread of the run has stopped. */
    synchronized void killed() {
        watermarkAtKill.put(run, watermark.get());
        for (Map.Entry<String, Seen> e : lastSeen.entrySet()) {
            if (e.getValue().run == run && !ackSent.contains(e.getKey())) {
                mustReturn.add(e.getKey());
                inFlightAtKills++;
            }
        }
    }

    synchronized long publishedInRun() {
        return publishedInRun;
    }

    synchronized long ackedInRun() {
        return ackedInRun;
    }

    synchronized long publishedTotal() {
        return published.size();
    }

    synchronized long inFlightAtKills() {
        return inFlightAtKills;
    }

    /** In-flight deliveries of killed runs that came back in a later run. */
    synchronized long returned() {
        return returned;
    }

    synchronized Set<String> notReturned() {
        return Set.copyOf(mustReturn);
    }

    /** Confirmed publishes never delivered to anyone. */
    synchronized Set<String> neverDelivered() {
        Set<String> missing = new HashSet<>(published);
        missing.removeAll(lastSeen.keySet());
        return missing;
    }

    synchronized List<String> violations() {
        return List.copyOf(violations);
    }
}
