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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ErrorsTest {

    @ParameterizedTest
    @CsvSource({
            "UNAUTHORIZED, 401, io.mom.client.UnauthorizedException",
            "FORBIDDEN, 403, io.mom.client.ForbiddenException",
            "NOT_FOUND, 404, io.mom.client.NotFoundException",
            "ALREADY_EXISTS, 409, io.mom.client.ConflictException",
            "CONFLICT, 409, io.mom.client.ConflictException",
            "INVALID_NAME, 400, io.mom.client.InvalidRequestException",
            "INVALID_REQUEST, 400, io.mom.client.InvalidRequestException",
            "PAYLOAD_TOO_LARGE, 413, io.mom.client.PayloadTooLargeException",
            "GONE, 410, io.mom.client.GoneException",
            "QUEUE_FULL, 429, io.mom.client.QueueFullException",
            "UNAVAILABLE, 503, io.mom.client.UnavailableException",
            "INTERNAL, 500, io.mom.client.MomClientException",
    })
    void eachServerCodeMapsToItsExceptionKeepingCodeStatusAndDetail(String code, int status, String type)
            throws ClassNotFoundException {
        MomClientException e = Errors.fromCode(code, status, "the detail");
        assertThat(e).isExactlyInstanceOf(Class.forName(type));
        assertThat(e.code()).isEqualTo(code);
        assertThat(e.status()).isEqualTo(status);
        assertThat(e.getMessage()).isEqualTo("the detail");
    }

    @Test
    void anUnknownCodeFallsBackToTheStatusAndKeepsTheCode() {
        MomClientException e = Errors.fromCode("SOMETHING_NEW", 404, "x");
        assertThat(e).isInstanceOf(NotFoundException.class);
        assertThat(e.code()).isEqualTo("SOMETHING_NEW");
        assertThat(Errors.fromCode("SOMETHING_NEW", 418, "x")).isExactlyInstanceOf(MomClientException.class);
    }

    @Test
    void aMissingCodeIsDerivedFromTheStatus() {
        assertThat(Errors.fromCode(null, 403, null)).isInstanceOf(ForbiddenException.class)
                .extracting(MomClientException::code).isEqualTo("FORBIDDEN");
        assertThat(Errors.fromCode("", 502, null)).isInstanceOf(UnavailableException.class)
                .extracting(MomClientException::code).isEqualTo("UNAVAILABLE");
        assertThat(Errors.fromCode(null, 401, null)).isInstanceOf(UnauthorizedException.class);
        assertThat(Errors.fromCode(null, 409, null)).isInstanceOf(ConflictException.class);
        assertThat(Errors.fromCode(null, 410, null)).isInstanceOf(GoneException.class);
        assertThat(Errors.fromCode(null, 413, null)).isInstanceOf(PayloadTooLargeException.class);
        assertThat(Errors.fromCode(null, 400, null)).isInstanceOf(InvalidRequestException.class);
        assertThat(Errors.fromCode(null, 429, null)).isNotInstanceOf(QueueFullException.class)
                .extracting(MomClientException::code).isEqualTo("HTTP_429");
    }

    @Test
    void unavailableCarriesTheIdsOfAPartlyCommittedBatch() {
        MomClientException e = Errors.fromCode("UNAVAILABLE", 503, "partition 2 down", List.of("a", "b"), null);
        assertThat(((UnavailableException) e).committedIds()).containsExactly("a", "b");
    }

    @Test
    void awaitRethrowsTheSameExceptionTypeOnTheCallersThreadWithTheOriginalAsCause() {
        NotFoundException original = new NotFoundException("NOT_FOUND", 404, "no queue q");
        CompletableFuture<String> failed = CompletableFuture.failedFuture(original);
        assertThatThrownBy(() -> Errors.await(failed))
                .isExactlyInstanceOf(NotFoundException.class)
                .hasMessage("no queue q")
                .hasCause(original);
        CompletableFuture<String> partial = CompletableFuture.failedFuture(
                new UnavailableException("UNAVAILABLE", 503, "down", null, List.of("x")));
        assertThatThrownBy(() -> Errors.await(partial)).isInstanceOfSatisfying(UnavailableException.class,
                e -> assertThat(e.committedIds()).containsExactly("x"));
    }

    @Test
    void unreachableHasNoStatus() {
        UnavailableException e = Errors.unreachable("GET /v1/queues", new java.net.ConnectException("refused"));
        assertThat(e.status()).isEqualTo(MomClientException.NO_STATUS);
        assertThat(e.code()).isEqualTo("UNAVAILABLE");
        assertThat(e).hasMessageContaining("refused");
    }
}
