package io.mom.transport.grpc;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.mom.core.ErrorCode;
import io.mom.core.MomException;
import io.mom.grpc.v1.RequestError;
import org.junit.jupiter.api.Test;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.CompletionException;

import static org.assertj.core.api.Assertions.assertThat;

class StatusMappingTest {

    @Test
    void everyErrorCodeHasTheStatusOfTheDocumentedTable() {
        Map<ErrorCode, Status.Code> expected = new EnumMap<>(ErrorCode.class);
        expected.put(ErrorCode.UNAUTHORIZED, Status.Code.UNAUTHENTICATED);
        expected.put(ErrorCode.FORBIDDEN, Status.Code.PERMISSION_DENIED);
        expected.put(ErrorCode.NOT_FOUND, Status.Code.NOT_FOUND);
        expected.put(ErrorCode.ALREADY_EXISTS, Status.Code.ALREADY_EXISTS);
        expected.put(ErrorCode.CONFLICT, Status.Code.FAILED_PRECONDITION);
        expected.put(ErrorCode.INVALID_NAME, Status.Code.INVALID_ARGUMENT);
        expected.put(ErrorCode.INVALID_REQUEST, Status.Code.INVALID_ARGUMENT);
        expected.put(ErrorCode.PAYLOAD_TOO_LARGE, Status.Code.RESOURCE_EXHAUSTED);
        expected.put(ErrorCode.GONE, Status.Code.NOT_FOUND);
        expected.put(ErrorCode.QUEUE_FULL, Status.Code.RESOURCE_EXHAUSTED);
        expected.put(ErrorCode.UNAVAILABLE, Status.Code.UNAVAILABLE);
        expected.put(ErrorCode.INTERNAL, Status.Code.INTERNAL);

        for (ErrorCode code : ErrorCode.values()) {
            StatusRuntimeException e = StatusMapping.toException(new MomException(code, "detail of " + code));
            assertThat(e.getStatus().getCode()).as(code.name()).isEqualTo(expected.get(code));
            assertThat(e.getStatus().getDescription()).isEqualTo("detail of " + code);
            assertThat(StatusMapping.errorCodeOf(e)).contains(code);
        }
    }

    @Test
    void aMomExceptionWrappedByAFutureKeepsItsCode() {
        StatusRuntimeException e = StatusMapping.toException(
                new CompletionException(new MomException(ErrorCode.QUEUE_FULL, "full")));

        assertThat(StatusMapping.errorCodeOf(e)).contains(ErrorCode.QUEUE_FULL);
    }

    @Test
    void anythingElseIsInternalWithoutItsMessage() {
        StatusRuntimeException e = StatusMapping.toException(new NullPointerException("secret"));
        RequestError error = StatusMapping.toRequestError(new IllegalStateException("secret"));

        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INTERNAL);
        assertThat(e.getStatus().getDescription()).isEqualTo("internal error");
        assertThat(error.getCode()).isEqualTo("INTERNAL");
        assertThat(error.getMessage()).isEqualTo("internal error");
        assertThat(error.getGrpcStatus()).isEqualTo(Status.Code.INTERNAL.value());
    }

    @Test
    void aStatusExceptionPassesThrough() {
        StatusRuntimeException original = Status.CANCELLED.asRuntimeException();

        assertThat(StatusMapping.toException(original)).isSameAs(original);
    }
}
