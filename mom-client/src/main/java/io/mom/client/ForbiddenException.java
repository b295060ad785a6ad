package io.mom.client;

/** The user may not do this, for example delete a destination it does not own ({@code FORBIDDEN}, 403). */
public class ForbiddenException extends MomClientException {
    private static final long serialVersionUID = 1L;

    public ForbiddenException(String code, int status, String message) {
        super(code, status, message);
    }

    public ForbiddenException(String code, int status, String message, Throwable cause) {
        super(code, status, message, cause);
    }
}
