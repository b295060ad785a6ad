package io.mom.core.spi;

import io.mom.core.ErrorCode;
import io.mom.core.MomException;

/** A store could not read or write; clients see {@link ErrorCode#UNAVAILABLE}. */
public class StoreException extends MomException {
    private static final long serialVersionUID = 1L;

    public StoreException(String message, Throwable cause) {
        super(ErrorCode.UNAVAILABLE, message, cause);
    }

    public StoreException(String message) {
        super(ErrorCode.UNAVAILABLE, message);
    }
}
