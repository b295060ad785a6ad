package io.mom.store.rocksdb;

import io.mom.core.Role;
import io.mom.core.spi.UserRecord;
import io.mom.core.spi.UserStore.RevokedToken;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Set;

import static io.mom.store.rocksdb.Fixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;

/** Users, revoked tokens and settings, each checked after a close and reopen of the storage. */
class RocksDbUserStoreTest {
    @TempDir
    Path dir;

    private RocksDbStorage storage;

    @BeforeEach
    void open() {
        storage = RocksDbStorage.open(dir);
    }

    @AfterEach
    void close() {
        storage.close();
    }

    private RocksDbUserStore reopened() {
        storage.close();
        storage = RocksDbStorage.open(dir);
        return storage.userStore();
    }

    @Test
    void usersAreListedByNameWithRolesAndHashAfterReopen() {
        UserRecord bob = new UserRecord("bob", "pbkdf2$1000$salt$hash", Set.of(Role.USER, Role.ADMIN),
                Instant.ofEpochSecond(1_700_000_000L, 5));
        UserRecord amy = new UserRecord("amy", "h2", Set.of(), T0);
        storage.userStore().putUser(bob);
        storage.userStore().putUser(amy);

        assertThat(reopened().users()).containsExactly(amy, bob);
    }

    @Test
    void aReplacedUserKeepsOnlyItsLatestRecordAndADeletedOneIsGone() {
        storage.userStore().putUser(new UserRecord("bob", "old", Set.of(Role.USER), T0));
        storage.userStore().putUser(new UserRecord("bob", "new", Set.of(Role.ADMIN), T0.plusSeconds(1)));
        storage.userStore().putUser(new UserRecord("eve", "x", Set.of(Role.USER), T0));
        storage.userStore().deleteUser("eve");
        storage.userStore().deleteUser("nobody");

        assertThat(reopened().users()).containsExactly(
                new UserRecord("bob", "new", Set.of(Role.ADMIN), T0.plusSeconds(1)));
    }

    @Test
    void pruningForgetsOnlyTokensThatExpiredBeforeNow() {
        storage.userStore().revoke(new RevokedToken("expired", T0.minusSeconds(1)));
        storage.userStore().revoke(new RevokedToken("expiring-now", T0));
        storage.userStore().revoke(new RevokedToken("valid", T0.plusSeconds(60)));

        storage.userStore().pruneRevoked(T0);

        assertThat(reopened().revokedTokens()).containsExactlyInAnyOrder(
                new RevokedToken("expiring-now", T0), new RevokedToken("valid", T0.plusSeconds(60)));
    }

    @Test
    void settingsAreNullUntilSetThenKeepTheLatestValue() {
        assertThat(storage.userStore().setting("jwt.secret")).isNull();
        storage.userStore().putSetting("jwt.secret", "first");
        storage.userStore().putSetting("jwt.secret", "second ✓");

        RocksDbUserStore users = reopened();

        assertThat(users.setting("jwt.secret")).isEqualTo("second ✓");
        assertThat(users.setting("format")).isNull();
    }
}
