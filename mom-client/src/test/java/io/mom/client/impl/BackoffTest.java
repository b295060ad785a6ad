package io.mom.client.impl;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BackoffTest {

    @Test
    void ceilingDoublesPerAttemptUpToTheCap() {
        Backoff b = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1));
        assertThat(b.ceiling(0)).isEqualTo(Duration.ofMillis(100));
        assertThat(b.ceiling(1)).isEqualTo(Duration.ofMillis(200));
        assertThat(b.ceiling(3)).isEqualTo(Duration.ofMillis(800));
        assertThat(b.ceiling(4)).isEqualTo(Duration.ofSeconds(1));
        assertThat(b.ceiling(Integer.MAX_VALUE)).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void jitterKeepsEachDelayBetweenHalfAndAllOfTheCeiling() {
        Backoff low = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1), () -> 0.0);
        Backoff high = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1), () -> 0.999_999_999);
        Backoff mid = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1), () -> 0.5);
        assertThat(low.delay(2)).isEqualTo(Duration.ofMillis(200));
        assertThat(high.delay(2)).isBetween(Duration.ofMillis(399), Duration.ofMillis(400));
        assertThat(mid.delay(2)).isEqualTo(Duration.ofMillis(300));
        assertThat(high.delay(50)).isLessThanOrEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void randomDelaysStayWithinBoundsAndVary() {
        Backoff b = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(30));
        java.util.Set<Duration> seen = new java.util.HashSet<>();
        for (int i = 0; i < 200; i++) {
            Duration d = b.delay(3);
            assertThat(d).isBetween(Duration.ofMillis(400), Duration.ofMillis(800));
            seen.add(d);
        }
        assertThat(seen).hasSizeGreaterThan(1);
    }

    @Test
    void rejectsAnInitialDelayAboveTheCap() {
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Backoff(Duration.ZERO, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
