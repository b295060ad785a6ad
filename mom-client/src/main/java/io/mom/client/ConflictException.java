package io.mom.client;

/** The request conflicts with existing state: the destination or user exists with another owner or other options ({@code ALREADY_EXISTS}), or deleting the last admin ({@code CONFLICT}); 409. */
public class ConflictException extends MomClientException {
    private static final long serialVersionUID = 1L;

    public ConflictException(String code, int status, String message) {
        super(code, status, message);
    }

    public ConflictException(String code, int status, String message, Throwable cause) {
        super(code, status, message, cause);
    }
}
