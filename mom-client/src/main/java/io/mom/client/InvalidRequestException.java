package io.mom.client;

/** The request is malformed or a value is out of range ({@code INVALID_REQUEST}), or a name is invalid or reserved ({@code INVALID_NAME}); 400. The message names the field. */
public class InvalidRequestException extends MomClientException {
    private static final long serialVersionUID = 1L;

    public InvalidRequestException(String code, int status, String message) {
        super(code, status, message);
    }

    public InvalidRequestException(String code, int status, String message, Throwable cause) {
        super(code, status, message, cause);
    }
}
