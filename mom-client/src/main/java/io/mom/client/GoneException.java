package io.mom.client;

/** The destination was deleted while the call waited, for example during a long-poll receive ({@code GONE}, 410). */
public class GoneException extends MomClientException {
    private static final long serialVersionUID = 1L;

    public GoneException(String code, int status, String message) {
        super(code, status, message);
    }

    public GoneException(String code, int status, String message, Throwable cause) {
        super(code, status, message, cause);
    }
}
