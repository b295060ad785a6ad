package io.mom.transport.rest.internal.http;

import io.mom.core.ErrorCode;
import io.mom.core.MomException;
import io.mom.core.PartialPublishException;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * An error as the client sees it ({@code application/problem+json}): HTTP status, stable code and a
 * detail that is safe to show. {@link #STATUS} is the one table from {@link ErrorCode} to HTTP status.
 *
 * @param status HTTP status
 * @param code   stable upper-case identifier
 * @param detail human-readable explanation, never a stack trace or exception text of a library
 * @param committed ids of a batch's messages that were stored although the call failed (a cluster
 *                  batch committed in part, {@link PartialPublishException}); empty otherwise
 */
public record Problem(int status, String code, String detail, List<String> committed) {
    /** The one mapping from core error codes to HTTP statuses. */
    public static final Map<ErrorCode, Integer> STATUS = statusTable();

    /** Code of a request whose path exists but not with that method (REST only). */
    public static final String METHOD_NOT_ALLOWED = "METHOD_NOT_ALLOWED";

    private static Map<ErrorCode, Integer> statusTable() {
        EnumMap<ErrorCode, Integer> t = new EnumMap<>(ErrorCode.class);
        t.put(ErrorCode.UNAUTHORIZED, 401);
        t.put(ErrorCode.FORBIDDEN, 403);
        t.put(ErrorCode.NOT_FOUND, 404);
        t.put(ErrorCode.ALREADY_EXISTS, 409);
        t.put(ErrorCode.CONFLICT, 409);
        t.put(ErrorCode.INVALID_NAME, 400);
        t.put(ErrorCode.INVALID_REQUEST, 400);
        t.put(ErrorCode.PAYLOAD_TOO_LARGE, 413);
        t.put(ErrorCode.GONE, 410);
        t.put(ErrorCode.QUEUE_FULL, 429);
        t.put(ErrorCode.UNAVAILABLE, 503);
        t.put(ErrorCode.INTERNAL, 500);
        if (t.size() != ErrorCode.values().length) {
            throw new IllegalStateException("every ErrorCode needs an HTTP status");
        }
        return Map.copyOf(t);
    }

    public Problem {
        committed = List.copyOf(committed);
    }

    public Problem(int status, String code, String detail) {
        this(status, code, detail, List.of());
    }

    public static Problem of(MomException e) {
        List<String> committed = e instanceof PartialPublishException
                ? ((PartialPublishException) e).committedIds() : List.of();
        return new Problem(STATUS.get(e.code()), e.code().name(), e.getMessage(), committed);
    }

    /** The answer to an unexpected failure: nothing of the failure itself reaches the client. */
    public static Problem internal() {
        return new Problem(500, ErrorCode.INTERNAL.name(), "internal error; the server log has the details");
    }

    /** Standard reason phrase used as the problem title. */
    public String title() {
        switch (status) {
            case 400: return "Bad Request";
            case 401: return "Unauthorized";
            case 403: return "Forbidden";
            case 404: return "Not Found";
            case 405: return "Method Not Allowed";
            case 409: return "Conflict";
            case 410: return "Gone";
            case 413: return "Content Too Large";
            case 429: return "Too Many Requests";
            case 503: return "Service Unavailable";
            default: return "Internal Server Error";
        }
    }

    /** The problem type URI: one per code. */
    public String type() {
        return "urn:mom:problem:" + code.toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
