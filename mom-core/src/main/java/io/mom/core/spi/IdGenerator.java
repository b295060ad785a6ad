package io.mom.core.spi;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicLong;

/** Makes message ids unique across brokers and restarts. Thread-safe. */
@FunctionalInterface
public interface IdGenerator {
    String newId();

    /**
     * A random 64-bit prefix chosen at creation, then a counter: cheap, unique with overwhelming
     * probability across nodes and restarts.
     */
    static IdGenerator randomPrefixed() {
        byte[] prefix = new byte[8];
        new SecureRandom().nextBytes(prefix);
        String head = HexFormat.of().formatHex(prefix) + "-";
        AtomicLong counter = new AtomicLong();
        return () -> head + Long.toString(counter.incrementAndGet(), 36);
    }
}
