package io.mom.client;

/** The destination holds {@code maxLength} messages and its overflow policy is {@code reject} ({@code QUEUE_FULL}, 429). Nothing was stored. */
public class QueueFullException extends MomClientException {
    private static final long serialVersionUID = 1L;

    public QueueFullException(String code, int status, String message) {
        super(code, status, message);
    }

    public QueueFullException(String code, int status, String message, Throwable cause) {
        super(code, status, message, cause);
    }
}
