package io.mom.client;

/** A payload, batch or request body exceeds the server limits ({@code PAYLOAD_TOO_LARGE}, 413). Nothing was stored. */
public class PayloadTooLargeException extends MomClientException {
    private static final long serialVersionUID = 1L;

    public PayloadTooLargeException(String code, int status, String message) {
        super(code, status, message);
    }

    public PayloadTooLargeException(String code, int status, String message, Throwable cause) {
        super(code, status, message, cause);
    }
}
