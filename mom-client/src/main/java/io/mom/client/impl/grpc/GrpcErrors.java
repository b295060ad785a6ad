package io.mom.client.impl.grpc;

import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import io.mom.client.MomClientException;
import io.mom.client.impl.Errors;
import io.mom.grpc.v1.RequestError;

import java.util.List;

/**
 * Turns gRPC failures into the client's typed exceptions. The class follows the MOM error code of the
 * {@value #ERROR_CODE_HEADER} trailer (or of a stream's {@link RequestError}), exactly as over REST, and
 * {@link MomClientException#status()} is the HTTP status REST answers for that code, so that callers
 * and the subscription logic treat both transports alike. A call without a code is mapped by its gRPC
 * status; a server that cannot be reached (or a deadline that passed) is an
 * {@link io.mom.client.UnavailableException} without status. Stateless.
 */
final class GrpcErrors {
    static final String ERROR_CODE_HEADER = "mom-error-code";
    static final Metadata.Key<String> ERROR_CODE = Metadata.Key.of(ERROR_CODE_HEADER, Metadata.ASCII_STRING_MARSHALLER);
    /** Trailer of a {@code Subscribe} refused by a loaded cluster node: the gRPC address to use instead. */
    static final Metadata.Key<String> REDIRECT = Metadata.Key.of("mom-redirect", Metadata.ASCII_STRING_MARSHALLER);

    private GrpcErrors() {
    }

    /** The client exception for any failure of a call about {@code what}. */
    static MomClientException of(Throwable failure, String what) {
        Throwable t = Errors.unwrap(failure);
        if (t instanceof MomClientException) {
            return (MomClientException) t;
        }
        Status status;
        Metadata trailers;
        if (t instanceof StatusRuntimeException) {
            status = ((StatusRuntimeException) t).getStatus();
            trailers = ((StatusRuntimeException) t).getTrailers();
        } else if (t instanceof StatusException) {
            status = ((StatusException) t).getStatus();
            trailers = ((StatusException) t).getTrailers();
        } else {
            return new MomClientException("INTERNAL", MomClientException.NO_STATUS, what + ": " + t, t);
        }
        String code = trailers == null ? null : trailers.get(ERROR_CODE);
        if (code == null) {
            code = codeOf(status.getCode());
            if (code == null) {
                return Errors.unreachable(what, t);
            }
        }
        return Errors.fromCode(code, httpStatus(code), status.getDescription(), List.of(), t);
    }

    /** The node a failure redirects to ({@code host:port} of a {@code mom-redirect} trailer), if any. */
    static java.util.Optional<String> redirect(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            Metadata trailers = t instanceof StatusRuntimeException ? ((StatusRuntimeException) t).getTrailers()
                    : t instanceof StatusException ? ((StatusException) t).getTrailers() : null;
            if (trailers != null && trailers.get(REDIRECT) != null) {
                return java.util.Optional.of(trailers.get(REDIRECT));
            }
        }
        return java.util.Optional.empty();
    }

    /** The client exception for a failed request inside a stream. */
    static MomClientException of(RequestError error) {
        String code = error.getCode().isEmpty() ? "INTERNAL" : error.getCode();
        return Errors.fromCode(code, httpStatus(code), error.getMessage());
    }

    /** The MOM code for a status that arrived without one; null when the server was not reached. */
    private static String codeOf(Status.Code code) {
        switch (code) {
            case UNAUTHENTICATED: return "UNAUTHORIZED";
            case PERMISSION_DENIED: return "FORBIDDEN";
            case NOT_FOUND: return "NOT_FOUND";
            case ALREADY_EXISTS: return "ALREADY_EXISTS";
            case FAILED_PRECONDITION: return "CONFLICT";
            case INVALID_ARGUMENT: return "INVALID_REQUEST";
            // gRPC itself refuses a request above the server's message size limit this way.
            case RESOURCE_EXHAUSTED: return "PAYLOAD_TOO_LARGE";
            case UNAVAILABLE:
            case DEADLINE_EXCEEDED:
            case CANCELLED:
            case ABORTED:
                return null;
            // an older server, or a listener without the method (e.g. user administration)
            case UNIMPLEMENTED: return GrpcTransport.UNSUPPORTED;
            default: return "INTERNAL";
        }
    }

    /** The HTTP status REST answers for an error code (API.md); 500 for codes it does not know. */
    static int httpStatus(String code) {
        switch (code) {
            case "UNAUTHORIZED": return 401;
            case "FORBIDDEN": return 403;
            case "NOT_FOUND": return 404;
            case "ALREADY_EXISTS":
            case "CONFLICT": return 409;
            case "GONE": return 410;
            case "INVALID_NAME":
            case "INVALID_REQUEST": return 400;
            case "PAYLOAD_TOO_LARGE": return 413;
            case "QUEUE_FULL": return 429;
            case GrpcTransport.UNSUPPORTED: return 501;
            case "UNAVAILABLE": return 503;
            default: return 500;
        }
    }
}
