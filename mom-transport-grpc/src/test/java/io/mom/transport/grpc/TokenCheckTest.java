package io.mom.transport.grpc;

import io.mom.core.DestinationOptions;
import io.mom.core.DestinationRef;
import io.mom.grpc.v1.CloseReason;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static io.mom.transport.grpc.GrpcFixture.ALICE;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The tokens of open streams are checked again periodically: a token revoked without this server
 * hearing of it (a logout, password change or deletion through REST or another node) or expired ends
 * its streams, and a valid one keeps them open.
 */
class TokenCheckTest {
    private final GrpcFixture fx = new GrpcFixture(b -> { }, s -> s.tokenCheck(Duration.ofMillis(100)));

    @AfterEach
    void close() {
        fx.close();
    }

    @Test
    void aStreamWhoseTokenIsRevokedElsewhereEndsAsLoggedOutAndOthersStayOpen() {
        fx.broker.declare(ALICE, DestinationRef.queue("orders"), DestinationOptions.DEFAULTS);
        String revoked = fx.auth.grant(ALICE);
        String kept = fx.auth.grant(ALICE);
        SubscribeClient ending = SubscribeClient.open(fx.messagingAsync(revoked), GrpcFixture.queueSource("orders"), 5, false);
        SubscribeClient staying = SubscribeClient.open(fx.messagingAsync(kept), GrpcFixture.queueSource("orders"), 5, false);
        ending.awaitSubscribed();
        staying.awaitSubscribed();

        fx.auth.logout(revoked);

        ending.awaitEnd();
        assertThat(ending.closedReason()).isEqualTo(CloseReason.CLOSE_REASON_LOGGED_OUT);
        assertThat(fx.server.openStreams()).isEqualTo(1);
    }
}
