package io.mom.core;

import java.util.regex.Pattern;

/** Validation of destination, subscription and user names ({@code [A-Za-z0-9._-]{1,120}}). */
public final class Names {
    /** Suffix reserved for dead-letter queues. */
    public static final String DLQ_SUFFIX = ".dlq";

    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9._-]{1,120}");

    private Names() {
    }

    public static boolean isValid(String name) {
        return name != null && VALID.matcher(name).matches();
    }

    /** Returns the name, or throws {@link ErrorCode#INVALID_NAME} naming what was wrong. */
    public static String require(String name, String what) {
        if (!isValid(name)) {
            throw new MomException(ErrorCode.INVALID_NAME,
                    what + " name must match [A-Za-z0-9._-]{1,120}");
        }
        return name;
    }

    public static boolean isDeadLetter(String name) {
        return name.endsWith(DLQ_SUFFIX);
    }

    public static String deadLetterOf(String name) {
        return name + DLQ_SUFFIX;
    }
}
