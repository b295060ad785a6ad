package io.mom.core;

import java.util.List;

/**
 * A batch publish that was committed only in part ({@link ErrorCode#UNAVAILABLE}): in a cluster a
 * batch is committed per partition, and a partition could not commit. {@link #committedIds()} names
 * the messages that are stored; the producer may retry the whole batch with the same ids, and the
 * dedup window keeps one copy of each.
 */
public final class PartialPublishException extends MomException {
    private static final long serialVersionUID = 1L;

    private final List<String> committedIds;

    public PartialPublishException(String message, List<String> committedIds, Throwable cause) {
        super(ErrorCode.UNAVAILABLE, message, cause);
        this.committedIds = List.copyOf(committedIds);
    }

    /** Ids of the messages of the batch that were committed, in batch order. */
    public List<String> committedIds() {
        return committedIds;
    }
}
