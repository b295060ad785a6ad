package io.mom.client;

/** No valid session: bad credentials, or the token is missing, expired or revoked ({@code UNAUTHORIZED}, 401). The client logs in again once by itself when it knows credentials. */
public class UnauthorizedException extends MomClientException {
    private static final long serialVersionUID = 1L;

    public UnauthorizedException(String code, int status, String message) {
        super(code, status, message);
    }

    public UnauthorizedException(String code, int status, String message, Throwable cause) {
        super(code, status, message, cause);
    }
}
