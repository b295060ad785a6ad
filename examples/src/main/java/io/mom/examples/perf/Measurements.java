package io.mom.examples.perf;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * What a run counts: confirmed publishes, received messages, errors and the publish-to-delivery
 * latency (microseconds, HdrHistogram, 3 significant digits, up to one hour). Producers and consumers
 * record from any thread; one reporting thread calls {@link #tick} once a second and decides which
 * seconds count ({@link #measuring}).
 */
final class Measurements {
    private static final long MAX_MICROS = TimeUnit.HOURS.toMicros(1);

    /** One second (or the final part of one) as seen by {@link #tick}. */
    record Tick(long sent, long received, long errors, long p50Micros, long p99Micros) {
    }

    private final LongAdder sent = new LongAdder();
    private final LongAdder received = new LongAdder();
    private final LongAdder stale = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final java.util.concurrent.atomic.AtomicReference<String> firstError =
            new java.util.concurrent.atomic.AtomicReference<>();
    private final Recorder latency = new Recorder(MAX_MICROS, 3);
    private final Histogram measured = new Histogram(MAX_MICROS, 3);
    private Histogram interval;
    private long lastSent;
    private long lastReceived;
    private long lastErrors;
    private long measuredSent;
    private long measuredReceived;

    void published(int messages) {
        sent.add(messages);
    }

    /** A message of this run arrived {@code nanos} after it was published. */
    void received(long nanos) {
        received.increment();
        latency.recordValue(Math.min(MAX_MICROS, Math.max(0, TimeUnit.NANOSECONDS.toMicros(nanos))));
    }

    /** A message of another run arrived (left over in the destination). */
    void receivedStale() {
        stale.increment();
    }

    /** A failed publish, ack or stream; the first one is kept for the report. */
    void error(Throwable cause) {
        errors.increment();
        firstError.compareAndSet(null, String.valueOf(cause));
    }

    /** The first failure, if any. */
    java.util.Optional<String> firstError() {
        return java.util.Optional.ofNullable(firstError.get());
    }

    /** Closes the current interval; when {@code measuring}, it counts towards the result. Reporting thread only. */
    Tick tick(boolean measuring) {
        interval = latency.getIntervalHistogram(interval);
        long s = sent.sum();
        long r = received.sum();
        long e = errors.sum();
        Tick t = new Tick(s - lastSent, r - lastReceived, e - lastErrors,
                interval.getTotalCount() == 0 ? 0 : interval.getValueAtPercentile(50),
                interval.getTotalCount() == 0 ? 0 : interval.getValueAtPercentile(99));
        if (measuring) {
            measured.add(interval);
            measuredSent += t.sent();
            measuredReceived += t.received();
        }
        lastSent = s;
        lastReceived = r;
        lastErrors = e;
        return t;
    }

    long measuredSent() {
        return measuredSent;
    }

    long measuredReceived() {
        return measuredReceived;
    }

    long latencyPercentile(double p) {
        return measured.getTotalCount() == 0 ? 0 : measured.getValueAtPercentile(p);
    }

    long errors() {
        return errors.sum();
    }

    long stale() {
        return stale.sum();
    }
}
