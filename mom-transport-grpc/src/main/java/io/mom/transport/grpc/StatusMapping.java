package io.mom.transport.grpc;

import com.google.protobuf.Any;
import com.google.rpc.ErrorInfo;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.mom.core.ErrorCode;
import io.mom.core.MomException;
import io.mom.grpc.v1.RequestError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * The one table from MOM {@link ErrorCode}s to gRPC status codes, and the way the code itself reaches
 * the client: the ASCII trailer {@value #ERROR_CODE_HEADER} and a {@code google.rpc.ErrorInfo}
 * (reason = the code, domain = {@value #ERROR_DOMAIN}) in the standard {@code grpc-status-details-bin}
 * trailer. Any other exception becomes {@code INTERNAL} with a generic message and is logged with its
 * stack trace. Stateless and thread-safe.
 */
public final class StatusMapping {
    /** Trailer that carries the stable MOM error code of a failed call. */
    public static final String ERROR_CODE_HEADER = "mom-error-code";
    public static final Metadata.Key<String> ERROR_CODE_KEY =
            Metadata.Key.of(ERROR_CODE_HEADER, Metadata.ASCII_STRING_MARSHALLER);
    /** {@code ErrorInfo.domain} of MOM errors. */
    public static final String ERROR_DOMAIN = "mom.io";

    private static final Logger log = LoggerFactory.getLogger(StatusMapping.class);
    private static final String INTERNAL_MESSAGE = "internal error";

    private StatusMapping() {
    }

    /** The gRPC status code of an error code (the REST table's counterpart). */
    public static Status.Code statusCode(ErrorCode code) {
        return switch (code) {
            case UNAUTHORIZED -> Status.Code.UNAUTHENTICATED;
            case FORBIDDEN -> Status.Code.PERMISSION_DENIED;
            case NOT_FOUND, GONE -> Status.Code.NOT_FOUND;
            case ALREADY_EXISTS -> Status.Code.ALREADY_EXISTS;
            case CONFLICT -> Status.Code.FAILED_PRECONDITION;
            case INVALID_NAME, INVALID_REQUEST -> Status.Code.INVALID_ARGUMENT;
            case PAYLOAD_TOO_LARGE, QUEUE_FULL -> Status.Code.RESOURCE_EXHAUSTED;
            case UNAVAILABLE -> Status.Code.UNAVAILABLE;
            case INTERNAL -> Status.Code.INTERNAL;
        };
    }

    /** A status exception carrying {@code code} and {@code message} as described above. */
    public static StatusRuntimeException toException(ErrorCode code, String message) {
        return toException(code, message, Map.of());
    }

    /** As above, with {@code ErrorInfo.metadata} (e.g. {@code committed}: the ids a partial batch stored). */
    static StatusRuntimeException toException(ErrorCode code, String message, Map<String, String> info) {
        Status.Code status = statusCode(code);
        String text = message == null ? code.name() : message;
        com.google.rpc.Status details = com.google.rpc.Status.newBuilder()
                .setCode(status.value())
                .setMessage(text)
                .addDetails(Any.pack(ErrorInfo.newBuilder().setReason(code.name()).setDomain(ERROR_DOMAIN)
                        .putAllMetadata(info).build()))
                .build();
        Metadata trailers = new Metadata();
        trailers.put(ERROR_CODE_KEY, code.name());
        return StatusProto.toStatusRuntimeException(details, trailers);
    }

    /**
     * Maps any failure: a {@link MomException} (possibly wrapped by a future) to its code, a gRPC status
     * exception unchanged, anything else to {@code INTERNAL} (logged, never shown to the client).
     */
    public static StatusRuntimeException toException(Throwable error) {
        Throwable cause = unwrap(error);
        if (cause instanceof io.mom.core.PartialPublishException partial) {
            return toException(partial.code(), partial.getMessage(),
                    Map.of("committed", String.join(",", partial.committedIds())));
        }
        if (cause instanceof MomException mom) {
            return toException(mom.code(), mom.getMessage());
        }
        if (cause instanceof StatusRuntimeException sre) {
            return sre;
        }
        if (cause instanceof StatusException se) {
            return new StatusRuntimeException(se.getStatus(), se.getTrailers());
        }
        log.error("event=grpc_unexpected_error error={}", cause.toString(), cause);
        return toException(ErrorCode.INTERNAL, INTERNAL_MESSAGE);
    }

    /** The same mapping as a per-request error inside a stream. */
    static RequestError toRequestError(Throwable error) {
        StatusRuntimeException sre = toException(error);
        String code = Optional.ofNullable(sre.getTrailers()).map(t -> t.get(ERROR_CODE_KEY))
                .orElse(ErrorCode.INTERNAL.name());
        String message = sre.getStatus().getDescription();
        return RequestError.newBuilder()
                .setCode(code)
                .setMessage(message == null ? INTERNAL_MESSAGE : message)
                .setGrpcStatus(sre.getStatus().getCode().value())
                .build();
    }

    /** The MOM error code carried by a failed call, if any (for clients and tests). */
    public static Optional<ErrorCode> errorCodeOf(StatusRuntimeException error) {
        Metadata trailers = error.getTrailers();
        String code = trailers == null ? null : trailers.get(ERROR_CODE_KEY);
        if (code == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(ErrorCode.valueOf(code));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static Throwable unwrap(Throwable error) {
        Throwable t = error;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
