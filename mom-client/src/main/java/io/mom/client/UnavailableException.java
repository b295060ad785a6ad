package io.mom.client;

import java.util.List;

/**
 * The server could not serve the call now ({@code UNAVAILABLE}, 503 and other 5xx gateway errors),
 * or could not be reached at all ({@link #status()} is {@link #NO_STATUS}, the cause is the I/O error).
 * Retrying later may succeed; a publish retried with the same producer ids is stored once.
 *
 * <p>A batch publish that the server committed only in part reports the ids it did commit in
 * {@link #committedIds()}.
 */
public class UnavailableException extends MomClientException {
    private static final long serialVersionUID = 1L;

    private final List<String> committedIds;

    public UnavailableException(String code, int status, String message) {
        this(code, status, message, null, List.of());
    }

    public UnavailableException(String code, int status, String message, Throwable cause) {
        this(code, status, message, cause, List.of());
    }

    public UnavailableException(String code, int status, String message, Throwable cause, List<String> committedIds) {
        super(code, status, message, cause);
        this.committedIds = List.copyOf(committedIds);
    }

    /** Ids of the messages of a batch the server committed before failing; empty otherwise. */
    public List<String> committedIds() {
        return committedIds;
    }
}
