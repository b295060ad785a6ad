package io.mom.client.impl;

import io.mom.client.ConflictException;
import io.mom.client.ForbiddenException;
import io.mom.client.GoneException;
import io.mom.client.InvalidRequestException;
import io.mom.client.MomClientException;
import io.mom.client.NotFoundException;
import io.mom.client.PayloadTooLargeException;
import io.mom.client.QueueFullException;
import io.mom.client.UnauthorizedException;
import io.mom.client.UnavailableException;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * The one table from server error codes (and, when a response has none, HTTP statuses) to client
 * exceptions, shared by every transport; and the unwrapping of asynchronous failures for blocking calls.
 */
public final class Errors {
    /** Code of a call interrupted while blocked. */
    public static final String INTERRUPTED = "INTERRUPTED";
    /** Code of a response the client could not understand. */
    public static final String INVALID_RESPONSE = "INVALID_RESPONSE";

    private Errors() {
    }

    /**
     * The exception for a server error. The class follows {@code code}; an unknown code falls back
     * to the status, and an unknown status to {@link MomClientException}.
     */
    public static MomClientException fromCode(String code, int status, String detail, List<String> committedIds,
                                              Throwable cause) {
        String c = code == null || code.isBlank() ? codeForStatus(status) : code;
        String message = detail == null || detail.isBlank() ? c : detail;
        switch (c) {
            case "UNAUTHORIZED":
                return new UnauthorizedException(c, status, message, cause);
            case "FORBIDDEN":
                return new ForbiddenException(c, status, message, cause);
            case "NOT_FOUND":
                return new NotFoundException(c, status, message, cause);
            case "ALREADY_EXISTS":
            case "CONFLICT":
                return new ConflictException(c, status, message, cause);
            case "INVALID_NAME":
            case "INVALID_REQUEST":
                return new InvalidRequestException(c, status, message, cause);
            case "PAYLOAD_TOO_LARGE":
                return new PayloadTooLargeException(c, status, message, cause);
            case "GONE":
                return new GoneException(c, status, message, cause);
            case "QUEUE_FULL":
                return new QueueFullException(c, status, message, cause);
            case "UNAVAILABLE":
                return new UnavailableException(c, status, message, cause, committedIds);
            default:
                return fromStatus(c, status, message, cause);
        }
    }

    /** {@link #fromCode(String, int, String, List, Throwable)} without committed ids or cause. */
    public static MomClientException fromCode(String code, int status, String detail) {
        return fromCode(code, status, detail, List.of(), null);
    }

    /** The server could not be reached or the connection broke. */
    public static UnavailableException unreachable(String what, Throwable cause) {
        String reason = cause == null || cause.getMessage() == null ? String.valueOf(cause) : cause.getMessage();
        return new UnavailableException("UNAVAILABLE", MomClientException.NO_STATUS, what + ": " + reason, cause);
    }

    /** The code to report when a response carries none. */
    static String codeForStatus(int status) {
        switch (status) {
            case 400: return "INVALID_REQUEST";
            case 401: return "UNAUTHORIZED";
            case 403: return "FORBIDDEN";
            case 404: return "NOT_FOUND";
            case 409: return "CONFLICT";
            case 410: return "GONE";
            case 413: return "PAYLOAD_TOO_LARGE";
            case 500: return "INTERNAL";
            case 502:
            case 503:
            case 504: return "UNAVAILABLE";
            default: return "HTTP_" + status;
        }
    }

    private static MomClientException fromStatus(String code, int status, String message, Throwable cause) {
        switch (status) {
            case 400: return new InvalidRequestException(code, status, message, cause);
            case 401: return new UnauthorizedException(code, status, message, cause);
            case 403: return new ForbiddenException(code, status, message, cause);
            case 404: return new NotFoundException(code, status, message, cause);
            case 409: return new ConflictException(code, status, message, cause);
            case 410: return new GoneException(code, status, message, cause);
            case 413: return new PayloadTooLargeException(code, status, message, cause);
            case 502:
            case 503:
            case 504: return new UnavailableException(code, status, message, cause);
            default: return new MomClientException(code, status, message, cause);
        }
    }

    /**
     * Waits for an asynchronous call and returns its value, or throws its failure as a
     * {@link MomClientException} of the same class created on the calling thread (so its stack trace
     * shows the caller; the original is the cause).
     */
    public static <T> T await(CompletableFuture<T> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            future.cancel(true);
            throw new MomClientException(INTERRUPTED, MomClientException.NO_STATUS, "interrupted while waiting", e);
        } catch (ExecutionException e) {
            throw forCaller(e.getCause());
        }
    }

    /** The failure {@code t} (possibly wrapped in a {@link CompletionException}) as a client exception for the caller. */
    public static RuntimeException forCaller(Throwable t) {
        Throwable cause = unwrap(t);
        if (cause instanceof MomClientException) {
            MomClientException e = (MomClientException) cause;
            List<String> ids = e instanceof UnavailableException ? ((UnavailableException) e).committedIds() : List.of();
            return fromCode(e.code(), e.status(), e.getMessage(), ids, e);
        }
        if (cause instanceof IllegalStateException || cause instanceof IllegalArgumentException) {
            return (RuntimeException) cause;
        }
        return new MomClientException("INTERNAL", MomClientException.NO_STATUS, String.valueOf(cause), cause);
    }

    /** Strips {@link CompletionException} and {@link ExecutionException} wrappers. */
    public static Throwable unwrap(Throwable t) {
        Throwable c = t;
        while ((c instanceof CompletionException || c instanceof ExecutionException) && c.getCause() != null) {
            c = c.getCause();
        }
        return c;
    }
}
