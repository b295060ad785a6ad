package io.mom.core.internal;

import io.mom.core.ErrorCode;
import io.mom.core.Message;
import io.mom.core.MomException;
import io.mom.core.spi.MessageStore;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Keeps pending payloads in memory up to a budget; beyond it an entry keeps only its metadata and its
 * payload is read back from the store at delivery. Thread-safe: the resident count is shared by all
 * destinations; each entry is changed under its destination's lock.
 */
final class MemoryBudget {
    private static final byte[] NO_PAYLOAD = new byte[0];

    private final long budget;
    private final MessageStore store;
    private final AtomicLong residentBytes = new AtomicLong();

    MemoryBudget(long budget, MessageStore store) {
        this.budget = budget;
        this.store = store;
    }

    /** Keeps a new entry's payload in memory if the budget allows, else leaves it in the store. */
    void admit(Entry e) {
        if (residentBytes.addAndGet(e.size) <= budget || e.size == 0) {
            return;
        }
        residentBytes.addAndGet(-e.size);
        Message m = e.message;
        e.message = new Message(m.id(), m.destination(), m.partition(), m.sequence(), NO_PAYLOAD, m.headers(),
                m.key(), m.sender(), m.publishedAt(), m.expiresAt());
        e.paged = true;
    }

    /** An entry leaves memory. */
    void release(Entry e) {
        if (!e.paged) {
            residentBytes.addAndGet(-e.size);
        }
    }

    /** The entry's message with its payload, read back from the store when it was paged out. */
    Message loaded(Entry e) {
        if (!e.paged) {
            return e.message;
        }
        Message m = e.message;
        byte[] payload = store.readPayload(m.destination(), m.partition(), m.sequence())
                .orElseThrow(() -> new MomException(ErrorCode.UNAVAILABLE, "stored payload missing for "
                        + m.destination() + "/" + m.partition() + "/" + m.sequence()));
        return new Message(m.id(), m.destination(), m.partition(), m.sequence(), payload, m.headers(), m.key(),
                m.sender(), m.publishedAt(), m.expiresAt());
    }

    long residentBytes() {
        return residentBytes.get();
    }
}
