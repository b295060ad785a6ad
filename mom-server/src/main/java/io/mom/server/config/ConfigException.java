package io.mom.server.config;

import io.mom.core.ErrorCode;
import io.mom.core.MomException;

/** The configuration cannot be used; the message says which setting, from where, and why. */
public final class ConfigException extends MomException {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(ErrorCode.INVALID_REQUEST, message);
    }

    public ConfigException(String message, Throwable cause) {
        super(ErrorCode.INVALID_REQUEST, message, cause);
    }
}
