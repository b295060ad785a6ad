package io.mom.core;

import java.util.regex.Pattern;

/**
 * Validation of destination, subscription and user names ({@code [A-Za-z0-9._-]{1,120}}), and the
 * names of partition shards: in a cluster, partition {@code p} of a partitioned destination
 * {@code orders} is hosted as its own single-partition destination {@code orders~p} on the
 * partition's leader. The {@code ~} cannot occur in a user's name, so shard names never collide
 * with one; clients cannot declare them.
 */
public final class Names {
    /** Suffix reserved for dead-letter queues. */
    public static final String DLQ_SUFFIX = ".dlq";
    /** Separates a destination's name from its partition index in a shard name. */
    public static final char SHARD_SEPARATOR = '~';

    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9._-]{1,120}");
    private static final Pattern SHARD = Pattern.compile("([A-Za-z0-9._-]{1,120})~([0-9]{1,2})((?:\\.dlq)?)");

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

    /** True for a shard name: {@code <name>~<partition>}, or its dead-letter queue. */
    public static boolean isShard(String name) {
        return name != null && name.indexOf(SHARD_SEPARATOR) > 0 && SHARD.matcher(name).matches();
    }

    /** The shard hosting one partition of {@code destination}. */
    public static String shard(String destination, int partition) {
        return destination + SHARD_SEPARATOR + partition;
    }

    /**
     * The destination a shard belongs to, with the shard's dead-letter suffix kept
     * ({@code orders~3.dlq} is a shard of {@code orders.dlq}); a name that is not a shard is returned as is.
     */
    public static String unsharded(String name) {
        var m = SHARD.matcher(name);
        return m.matches() ? m.group(1) + m.group(3) : name;
    }

    /** The partition a shard hosts; 0 for a name that is not a shard. */
    public static int partitionOf(String name) {
        var m = SHARD.matcher(name);
        return m.matches() ? Integer.parseInt(m.group(2)) : 0;
    }
}
