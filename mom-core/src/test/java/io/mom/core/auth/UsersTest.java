package io.mom.core.auth;

import io.mom.core.ErrorCode;
import io.mom.core.Identity;
import io.mom.core.MomException;
import io.mom.core.Role;
import io.mom.core.memory.InMemoryUserStore;
import io.mom.core.spi.UserRecord;
import io.mom.core.testing.ManualTime;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class UsersTest {
    private final InMemoryUserStore store = new InMemoryUserStore();
    private final ManualTime time = new ManualTime();
    private final PasswordHasher hasher = new PasswordHasher(1_000);
    private final Users users = new Users(store, hasher, time);
    private final Identity admin = Identity.admin("admin");

    @Test
    void firstStartCreatesAdminWithGeneratedPasswordOnce() {
        Users.Bootstrap first = users.bootstrapAdmin(Optional.empty());
        assertThat(first.created()).isTrue();
        String password = first.generatedPassword().orElseThrow();
        assertThat(password).hasSizeGreaterThanOrEqualTo(20);
        assertThat(users.authenticate("admin", password)).contains(new Identity("admin", Set.of(Role.USER, Role.ADMIN)));

        Users restarted = new Users(store, hasher, time);
        assertThat(restarted.bootstrapAdmin(Optional.empty())).isEqualTo(new Users.Bootstrap(false, Optional.empty()));
        assertThat(restarted.authenticate("admin", password)).isPresent();
    }

    @Test
    void configuredAdminPasswordIsUsedAndNotReturned() {
        Users.Bootstrap b = users.bootstrapAdmin(Optional.of("s3cret-admin"));
        assertThat(b).isEqualTo(new Users.Bootstrap(true, Optional.empty()));
        assertThat(users.authenticate("admin", "s3cret-admin")).isPresent();
    }

    @Test
    void storesSaltedHashesNeverPasswords() {
        users.create(admin, "alice", "pw-alice", Set.of());
        users.create(admin, "bob", "pw-alice", Set.of());
        UserRecord alice = store.users().get(0);
        UserRecord bob = store.users().get(1);
        assertThat(alice.passwordHash()).startsWith("pbkdf2-sha256$1000$").doesNotContain("pw-alice");
        assertThat(alice.passwordHash()).isNotEqualTo(bob.passwordHash());
        assertThat(users.list(admin)).extracting(UserDirectory.UserView::username).containsExactly("alice", "bob");
    }

    @Test
    void authenticationFailsForWrongPasswordOrUnknownUser() {
        users.create(admin, "alice", "right", Set.of());
        assertThat(users.authenticate("alice", "right")).contains(Identity.user("alice"));
        assertThat(users.authenticate("alice", "wrong")).isEmpty();
        assertThat(users.authenticate("nobody", "right")).isEmpty();
        assertThat(users.authenticate(null, "right")).isEmpty();
        assertThat(users.authenticate("alice", "x".repeat(Users.MAX_PASSWORD_LENGTH + 1))).isEmpty();
    }

    @Test
    void onlyAdminsManageUsers() {
        Identity alice = Identity.user("alice");
        users.create(admin, "alice", "pw", Set.of());
        assertCode(() -> users.create(alice, "mallory", "pw", Set.of()), ErrorCode.FORBIDDEN);
        assertCode(() -> users.list(alice), ErrorCode.FORBIDDEN);
        assertCode(() -> users.delete(alice, "alice"), ErrorCode.FORBIDDEN);
        assertCode(() -> users.changePassword(alice, "admin", "pw2"), ErrorCode.FORBIDDEN);
        assertThat(store.users()).extracting(UserRecord::username).containsExactly("alice");
    }

    @Test
    void rejectsDuplicatesBadNamesAndBadPasswords() {
        users.create(admin, "alice", "pw", Set.of());
        assertCode(() -> users.create(admin, "alice", "pw", Set.of()), ErrorCode.ALREADY_EXISTS);
        assertCode(() -> users.create(admin, "bad name", "pw", Set.of()), ErrorCode.INVALID_NAME);
        assertCode(() -> users.create(admin, "carol", "", Set.of()), ErrorCode.INVALID_REQUEST);
        assertCode(() -> users.changePassword(admin, "nobody", "pw"), ErrorCode.NOT_FOUND);
        assertCode(() -> users.delete(admin, "nobody"), ErrorCode.NOT_FOUND);
        assertThat(store.users()).hasSize(1);
    }

    @Test
    void passwordChangeMovesTokenCutOffAndReplacesPassword() {
        users.create(admin, "alice", "old", Set.of());
        var before = users.account("alice").orElseThrow().tokensNotBefore();
        time.advance(Duration.ofSeconds(5));
        users.changePassword(Identity.user("alice"), "alice", "new");
        assertThat(users.account("alice").orElseThrow().tokensNotBefore()).isEqualTo(before.plusSeconds(5));
        assertThat(users.authenticate("alice", "old")).isEmpty();
        assertThat(users.authenticate("alice", "new")).isPresent();
    }

    @Test
    void deletingTheLastAdminIsAConflict() {
        users.bootstrapAdmin(Optional.of("pw"));
        assertCode(() -> users.delete(admin, "admin"), ErrorCode.CONFLICT);
        users.create(admin, "root2", "pw", Set.of(Role.ADMIN));
        users.delete(admin, "admin");
        assertThat(users.account("admin")).isEmpty();
        assertCode(() -> users.delete(Identity.admin("root2"), "root2"), ErrorCode.CONFLICT);
    }

    @Test
    void plainUsersAlwaysHoldTheUserRole() {
        users.create(admin, "alice", "pw", null);
        assertThat(users.account("alice").orElseThrow().identity().roles()).containsExactly(Role.USER);
    }

    @Test
    void hasherRejectsMalformedEncodings() {
        assertThat(hasher.matches("pw", "plain")).isFalse();
        assertThat(hasher.matches("pw", "pbkdf2-sha256$x$AA$AA")).isFalse();
        assertThat(hasher.matches("pw", "pbkdf2-sha256$10$%%$AA")).isFalse();
        assertThat(hasher.matches("pw", hasher.hash("pw"))).isTrue();
    }

    private static void assertCode(Runnable action, ErrorCode code) {
        assertThatThrownBy(action::run).isInstanceOf(MomException.class)
                .satisfies(e -> assertThat(((MomException) e).code()).isEqualTo(code));
    }

    @Test
    void mirroredChangesFromAnotherNodeApplyWithoutWritingTheStore() {
        InMemoryUserStore otherStore = new InMemoryUserStore();
        Users other = new Users(otherStore, hasher, time);
        other.bootstrapAdmin(Optional.of("pw-admin"));
        other.create(admin, "carol", "pw-carol", Set.of());
        io.mom.core.spi.UserRecord carol = otherStore.users().stream()
                .filter(u -> u.username().equals("carol")).findFirst().orElseThrow();

        users.mirror("carol", Optional.of(carol));
        assertThat(users.authenticate("carol", "pw-carol")).isPresent();
        assertThat(store.users()).noneMatch(u -> u.username().equals("carol"));

        users.mirror("carol", Optional.empty());
        assertThat(users.authenticate("carol", "pw-carol")).isEmpty();
        assertThat(users.account("carol")).isEmpty();
    }
}
