package io.mom.client;

/** The queue, topic, subscription or user does not exist ({@code NOT_FOUND}, 404). */
public class NotFoundException extends MomClientException {
    private static final long serialVersionUID = 1L;

    public NotFoundException(String code, int status, String message) {
        super(code, status, message);
    }

    public NotFoundException(String code, int status, String message, Throwable cause) {
        super(code, status, message, cause);
    }
}
