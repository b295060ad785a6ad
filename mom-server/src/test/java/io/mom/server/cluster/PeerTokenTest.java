package io.mom.server.cluster;

import io.mom.core.Identity;
import io.mom.core.Role;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Peer tokens are reused for a while, and a remembered token still expires. */
class PeerTokenTest {
    private static final byte[] SECRET = "a-cluster-secret-of-enough-length".getBytes(StandardCharsets.UTF_8);

    /** A clock that moves only when told. */
    private static final class Manual extends Clock {
        Instant now = Instant.ofEpochSecond(1_000);

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void aTokenIsReusedForAQuarterOfItsValidityThenReissued() {
        Manual clock = new Manual();
        PeerToken tokens = new PeerToken(SECRET, clock);
        Identity alice = new Identity("alice", Set.of(Role.USER));
        String first = tokens.issue(alice);
        clock.now = clock.now.plusSeconds(29);
        assertThat(tokens.issue(alice)).isEqualTo(first);
        clock.now = clock.now.plusSeconds(2);
        assertThat(tokens.issue(alice)).isNotEqualTo(first);
        assertThat(tokens.issue(new Identity("bob", Set.of(Role.USER)))).isNotEqualTo(first);
    }

    @Test
    void aVerifiedTokenIsAcceptedUntilItExpires() {
        Manual clock = new Manual();
        PeerToken tokens = new PeerToken(SECRET, clock);
        Identity alice = new Identity("alice", Set.of(Role.ADMIN));
        String token = tokens.issue(alice);
        assertThat(tokens.verify(token)).contains(alice);
        assertThat(tokens.verify(token)).contains(alice);
        assertThat(tokens.verify(token.substring(0, token.length() - 2) + "xx")).isEmpty();

        clock.now = clock.now.plus(Duration.ofMinutes(2)).plusSeconds(1);
        assertThat(tokens.verify(token)).isEmpty();
    }
}
