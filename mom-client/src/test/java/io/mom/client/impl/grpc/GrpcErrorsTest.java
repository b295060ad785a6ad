package io.mom.client.impl.grpc;

import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.mom.client.MomClientException;
import io.mom.client.PayloadTooLargeException;
import io.mom.client.UnavailableException;
import io.mom.grpc.v1.RequestError;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class GrpcErrorsTest {

    private static StatusRuntimeException failed(Status.Code status, String code) {
        Metadata trailers = new Metadata();
        if (code != null) {
            trailers.put(GrpcErrors.ERROR_CODE, code);
        }
        return Status.fromCode(status).withDescription("the detail").asRuntimeException(trailers);
    }

    @ParameterizedTest
    @CsvSource({
            "UNAUTHENTICATED, UNAUTHORIZED, 401, io.mom.client.UnauthorizedException",
            "PERMISSION_DENIED, FORBIDDEN, 403, io.mom.client.ForbiddenException",
            "NOT_FOUND, NOT_FOUND, 404, io.mom.client.NotFoundException",
            "NOT_FOUND, GONE, 410, io.mom.client.GoneException",
            "ALREADY_EXISTS, ALREADY_EXISTS, 409, io.mom.client.ConflictException",
            "FAILED_PRECONDITION, CONFLICT, 409, io.mom.client.ConflictException",
            "INVALID_ARGUMENT, INVALID_NAME, 400, io.mom.client.InvalidRequestException",
            "INVALID_ARGUMENT, INVALID_REQUEST, 400, io.mom.client.InvalidRequestException",
            "RESOURCE_EXHAUSTED, PAYLOAD_TOO_LARGE, 413, io.mom.client.PayloadTooLargeException",
            "RESOURCE_EXHAUSTED, QUEUE_FULL, 429, io.mom.client.QueueFullException",
            "UNAVAILABLE, UNAVAILABLE, 503, io.mom.client.UnavailableException",
            "INTERNAL, INTERNAL, 500, io.mom.client.MomClientException",
    })
    void theMomCodeTrailerPicksTheExceptionAndTheRestStatus(Status.Code status, String code, int http, String type)
            throws ClassNotFoundException {
        MomClientException e = GrpcErrors.of(failed(status, code), "call");
        assertThat(e).isExactlyInstanceOf(Class.forName(type));
        assertThat(e.code()).isEqualTo(code);
        assertThat(e.status()).isEqualTo(http);
        assertThat(e.getMessage()).isEqualTo("the detail");
    }

    @Test
    void withoutACodeTheGrpcStatusDecidesAndAnUnreachableServerHasNoStatus() {
        assertThat(GrpcErrors.of(failed(Status.Code.RESOURCE_EXHAUSTED, null), "publish"))
                .isInstanceOf(PayloadTooLargeException.class);
        for (Status.Code lost : new Status.Code[]{Status.Code.UNAVAILABLE, Status.Code.DEADLINE_EXCEEDED,
                Status.Code.CANCELLED}) {
            MomClientException e = GrpcErrors.of(failed(lost, null), "publish");
            assertThat(e).isInstanceOf(UnavailableException.class);
            assertThat(e.status()).isEqualTo(MomClientException.NO_STATUS);
            assertThat(e.getMessage()).startsWith("publish: ");
        }
    }

    @Test
    void aRequestErrorInsideAStreamMapsLikeACall() {
        MomClientException e = GrpcErrors.of(RequestError.newBuilder().setCode("QUEUE_FULL").setMessage("full")
                .setGrpcStatus(Status.Code.RESOURCE_EXHAUSTED.value()).build());
        assertThat(e.code()).isEqualTo("QUEUE_FULL");
        assertThat(e.status()).isEqualTo(429);
        assertThat(e).hasMessage("full");
    }
}
