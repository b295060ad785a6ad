package io.mom.core.testing;

import io.mom.core.spi.Scheduler;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * A clock and a scheduler that move only when a test calls {@link #advance(Duration)}: due tasks run
 * on the test's thread, in deadline order. Thread-safe.
 */
public final class ManualTime extends Clock implements Scheduler {
    private final Object lock = new Object();
    private final List<Task> tasks = new ArrayList<>();
    private Instant now;
    private long order;

    private final class Task implements Cancellable {
        final Runnable action;
        final long periodNanos;
        Instant due;
        final long seq = order++;
        boolean cancelled;

        Task(Runnable action, Instant due, long periodNanos) {
            this.action = action;
            this.due = due;
            this.periodNanos = periodNanos;
        }

        @Override
        public void cancel() {
            synchronized (lock) {
                cancelled = true;
                tasks.remove(this);
            }
        }
    }

    public ManualTime() {
        this(Instant.parse("2026-01-01T00:00:00Z"));
    }

    public ManualTime(Instant start) {
        this.now = start;
    }

    /** Moves time forward, running every task that falls due on the way. */
    public void advance(Duration by) {
        Instant target;
        synchronized (lock) {
            target = now.plus(by);
        }
        while (true) {
            Task next;
            synchronized (lock) {
                next = tasks.stream().filter(t -> !t.due.isAfter(target))
                        .min((a, b) -> a.due.equals(b.due) ? Long.compare(a.seq, b.seq) : a.due.compareTo(b.due))
                        .orElse(null);
                if (next == null) {
                    now = target;
                    return;
                }
                now = next.due;
                if (next.periodNanos > 0) {
                    next.due = next.due.plusNanos(next.periodNanos);
                } else {
                    tasks.remove(next);
                }
            }
            next.action.run();
        }
    }

    @Override
    public Cancellable schedule(Runnable task, Duration delay) {
        synchronized (lock) {
            Task t = new Task(task, now.plus(delay), 0);
            tasks.add(t);
            return t;
        }
    }

    @Override
    public Cancellable scheduleAtFixedRate(Runnable task, Duration period) {
        synchronized (lock) {
            Task t = new Task(task, now.plus(period), period.toNanos());
            tasks.add(t);
            return t;
        }
    }

    @Override
    public void close() {
        synchronized (lock) {
            tasks.clear();
        }
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    @Override
    public Instant instant() {
        synchronized (lock) {
            return now;
        }
    }
}
