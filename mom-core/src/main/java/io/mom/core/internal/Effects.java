package io.mom.core.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * Work decided under a destination lock that must run after the lock is released: listener calls,
 * pull completions and dead-letter moves. Used by one thread at a time.
 */
final class Effects {
    private PushConsumer firstDrain;
    private List<PushConsumer> moreDrains;
    private List<PullWaiter> completions;
    private List<DeadLetter> deadLetters;

    /** A message that must move to a dead-letter queue, then be acked for its subscription. */
    record DeadLetter(Subscription from, Entry entry, int deliveries) {
    }

    void drain(PushConsumer consumer) {
        if (firstDrain == null || firstDrain == consumer) {
            firstDrain = consumer;
            return;
        }
        if (moreDrains == null) {
            moreDrains = new ArrayList<>(4);
        }
        if (!moreDrains.contains(consumer)) {
            moreDrains.add(consumer);
        }
    }

    void complete(PullWaiter waiter) {
        if (completions == null) {
            completions = new ArrayList<>(2);
        }
        completions.add(waiter);
    }

    void deadLetter(Subscription from, Entry entry, int deliveries) {
        if (deadLetters == null) {
            deadLetters = new ArrayList<>(2);
        }
        deadLetters.add(new DeadLetter(from, entry, deliveries));
    }

    /** Runs everything collected. Must be called without holding any destination lock. */
    void run(CoreBroker broker) {
        if (completions != null) {
            for (PullWaiter w : completions) {
                if (w.timer != null) {
                    w.timer.cancel();
                }
                w.future.complete(List.copyOf(w.deliveries));
            }
        }
        if (firstDrain != null) {
            firstDrain.drain();
        }
        if (moreDrains != null) {
            moreDrains.forEach(PushConsumer::drain);
        }
        if (deadLetters != null) {
            broker.moveToDeadLetters(deadLetters);
        }
    }
}
