package io.mom.client;

/**
 * A call the server refused or that could not reach the server. Carries the server's stable error
 * {@link #code()} ({@code NOT_FOUND}, {@code QUEUE_FULL}, ...) and the HTTP {@link #status()}.
 * Subclasses name the codes an application commonly handles; any other code arrives as this class,
 * so new server codes never break a client. Unchecked, like every error of the client.
 *
 * <p>A request the server rejected changed nothing on the server.
 */
public class MomClientException extends RuntimeException {
    /** {@link #status()} of a failure that got no HTTP response (connection refused, timeout). */
    public static final int NO_STATUS = 0;
    private static final long serialVersionUID = 1L;

    private final String code;
    private final int status;

    public MomClientException(String code, int status, String message) {
        this(code, status, message, null);
    }

    public MomClientException(String code, int status, String message, Throwable cause) {
        super(message, cause);
        this.code = code == null ? "UNKNOWN" : code;
        this.status = status;
    }

    /** The stable upper-case error code sent by the server (or derived from the status when there was none). */
    public String code() {
        return code;
    }

    /** The HTTP status, or {@link #NO_STATUS} when no response arrived. */
    public int status() {
        return status;
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + code + (status == NO_STATUS ? "" : " " + status) + "]: " + getMessage();
    }
}
