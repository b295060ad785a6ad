package io.mom.transport.rest.auth;

import io.mom.core.ErrorCode;
import io.mom.core.Identity;
import io.mom.core.MomException;
import io.mom.core.Role;
import io.mom.core.auth.Authenticator;
import io.mom.core.auth.PasswordHasher;
import io.mom.core.auth.Users;
import io.mom.core.memory.InMemoryUserStore;
import io.mom.core.testing.ManualTime;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JwtAuthenticatorTest {
    private static final String SECRET = "a-test-secret-of-more-than-32-chars!";
    private final ManualTime time = new ManualTime();
    private final InMemoryUserStore store = new InMemoryUserStore();
    private final Users users = new Users(store, new PasswordHasher(1_000), time);
    private final JwtAuthenticator auth = new JwtAuthenticator(users, store, SECRET, Duration.ofMinutes(10), time);

    JwtAuthenticatorTest() {
        users.bootstrapAdmin(Optional.of("pw"));
        users.create(Identity.admin("admin"), "alice", "alice-pw", Set.of());
    }

    @Test
    void rejectsShortSecrets() {
        assertCode(() -> new JwtAuthenticator(users, store, "short", Duration.ofMinutes(1), time),
                ErrorCode.INVALID_REQUEST);
    }

    @Test
    void verifiedTokensCarryTheCurrentRoles() {
        Authenticator.Session session = auth.login("alice", "alice-pw");
        assertThat(session.expiresAt()).isEqualTo(time.instant().plus(Duration.ofMinutes(10)));
        assertThat(auth.verify(session.token())).isEqualTo(Identity.user("alice"));
        assertThat(auth.verify(auth.login("admin", "pw").token()).roles()).contains(Role.ADMIN);
    }

    @Test
    void revocationsSurviveARestartThroughTheStore() {
        String token = auth.login("alice", "alice-pw").token();
        auth.logout(token);
        JwtAuthenticator restarted = new JwtAuthenticator(users, store, SECRET, Duration.ofMinutes(10), time);
        assertCode(() -> restarted.verify(token), ErrorCode.UNAUTHORIZED);
    }

    @Test
    void expiredRevocationsAreForgotten() {
        auth.logout(auth.login("alice", "alice-pw").token());
        time.advance(Duration.ofMinutes(11));
        auth.logout(auth.login("alice", "alice-pw").token());
        assertThat(store.revokedTokens()).hasSize(1);
    }

    @Test
    void tokensOfAnotherKeyOrTamperedTokensFail() {
        String other = new JwtAuthenticator(users, store, SECRET + "x", Duration.ofMinutes(10), time)
                .login("alice", "alice-pw").token();
        assertCode(() -> auth.verify(other), ErrorCode.UNAUTHORIZED);
        String token = auth.login("alice", "alice-pw").token();
        String tampered = token.substring(0, token.length() - 2) + (token.endsWith("A") ? "BB" : "AA");
        assertCode(() -> auth.verify(tampered), ErrorCode.UNAUTHORIZED);
        assertCode(() -> auth.verify(""), ErrorCode.UNAUTHORIZED);
        assertCode(() -> auth.verify(null), ErrorCode.UNAUTHORIZED);
    }

    @Test
    void aRecreatedUserDoesNotInheritOldTokens() {
        String old = auth.login("alice", "alice-pw").token();
        time.advance(Duration.ofMillis(1));
        users.delete(Identity.admin("admin"), "alice");
        users.create(Identity.admin("admin"), "alice", "alice-pw", Set.of());
        assertCode(() -> auth.verify(old), ErrorCode.UNAUTHORIZED);
    }

    private static void assertCode(Runnable action, ErrorCode code) {
        assertThatThrownBy(action::run).isInstanceOf(MomException.class)
                .satisfies(e -> assertThat(((MomException) e).code()).isEqualTo(code));
    }
}
