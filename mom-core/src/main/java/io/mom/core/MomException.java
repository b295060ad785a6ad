package io.mom.core;

import java.util.Objects;

/**
 * The one unchecked exception of MOM. It carries a stable {@link ErrorCode} and a message that is
 * safe to show to a client (it never contains stack traces, secrets or payloads).
 */
public class MomException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ErrorCode code;

    public MomException(ErrorCode code, String message) {
        super(message);
        this.code = Objects.requireNonNull(code, "code");
    }

    public MomException(ErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = Objects.requireNonNull(code, "code");
    }

    public ErrorCode code() {
        return code;
    }

    public static MomException notFound(String what) {
        return new MomException(ErrorCode.NOT_FOUND, what + " not found");
    }

    public static MomException invalid(String message) {
        return new MomException(ErrorCode.INVALID_REQUEST, message);
    }

    public static MomException forbidden(String message) {
        return new MomException(ErrorCode.FORBIDDEN, message);
    }
}
