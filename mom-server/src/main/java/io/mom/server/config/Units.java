package io.mom.server.config;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations ({@code 500ms}, {@code 30s}, {@code 10m}, {@code 1h}, {@code 2d}) and sizes ({@code 1024},
 * {@code 512k}, {@code 256m}, {@code 1g}; binary multiples, an optional trailing {@code b}). Stateless.
 */
public final class Units {
    private static final Pattern DURATION = Pattern.compile("(\\d{1,15})(ms|s|m|h|d)");
    private static final Pattern SIZE = Pattern.compile("(\\d{1,15})([kmg]?)b?");

    private Units() {
    }

    /** Parses a duration; throws {@link IllegalArgumentException} with a readable reason. */
    public static Duration duration(String text) {
        Matcher m = DURATION.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("a duration such as 500ms, 30s, 10m or 1h");
        }
        long n = Long.parseLong(m.group(1));
        switch (m.group(2)) {
            case "ms":
                return Duration.ofMillis(n);
            case "s":
                return Duration.ofSeconds(n);
            case "m":
                return Duration.ofMinutes(n);
            case "h":
                return Duration.ofHours(n);
            default:
                return Duration.ofDays(n);
        }
    }

    /** Parses a size in bytes; throws {@link IllegalArgumentException} with a readable reason. */
    public static long size(String text) {
        Matcher m = SIZE.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("a size such as 1024, 512k, 256m or 1g");
        }
        long n = Long.parseLong(m.group(1));
        int shift = m.group(2).isEmpty() ? 0 : "kmg".indexOf(m.group(2)) * 10 + 10;
        if (n > Long.MAX_VALUE >> shift) {
            throw new IllegalArgumentException("a size below 8 exabytes");
        }
        return n << shift;
    }
}
