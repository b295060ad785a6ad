package io.mom.store.mongo;

import io.mom.core.Role;
import io.mom.core.spi.UserRecord;
import io.mom.core.spi.UserStore.RevokedToken;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** Users, revoked tokens and settings are durable: they come back from a new store over the same database. */
class MongoUserStoreTest {
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00.000001Z");
    private static EmbeddedMongo mongo;
    private MongoStoreSettings settings;
    private MongoUserStore store;

    @BeforeAll
    static void startMongo() {
        mongo = new EmbeddedMongo();
    }

    @AfterAll
    static void stopMongo() {
        mongo.close();
    }

    @BeforeEach
    void openStore() {
        settings = mongo.settings("users_" + DATABASES.incrementAndGet());
        store = MongoUserStore.open(settings);
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    private void reopen() {
        store.close();
        store = MongoUserStore.open(settings);
    }

    @Test
    void usersAreReplacedDeletedAndListedByNameAcrossAReopen() {
        UserRecord carol = new UserRecord("carol", "pbkdf2$1$s$h", Set.of(Role.USER), T0);
        store.putUser(carol);
        store.putUser(new UserRecord("bob", "h1", Set.of(Role.USER), T0));
        store.putUser(new UserRecord("alice", "h2", Set.of(Role.USER), T0));
        UserRecord alice = new UserRecord("alice", "h3", Set.of(Role.USER, Role.ADMIN), T0.plusSeconds(5));
        store.putUser(alice);
        store.deleteUser("bob");
        store.deleteUser("nobody");

        reopen();

        assertThat(store.users()).containsExactly(alice, carol);
    }

    @Test
    void revokedTokensSurviveAReopenUntilPrunedAfterTheyExpire() {
        RevokedToken early = new RevokedToken("t1", T0.plusSeconds(10));
        RevokedToken late = new RevokedToken("t2", T0.plusSeconds(20));
        store.revoke(early);
        store.revoke(late);
        store.revoke(early);

        reopen();
        assertThat(store.revokedTokens()).containsExactlyInAnyOrder(early, late);

        store.pruneRevoked(T0.plusSeconds(15));
        reopen();
        assertThat(store.revokedTokens()).containsExactly(late);
    }

    @Test
    void settingsSurviveAReopenAndUnsetOnesAreNull() {
        store.putSetting("jwt.secret", "first");
        store.putSetting("jwt.secret", "second");
        store.putSetting("other", "x");

        reopen();

        assertThat(store.setting("jwt.secret")).isEqualTo("second");
        assertThat(store.setting("other")).isEqualTo("x");
        assertThat(store.setting("missing")).isNull();
    }
}
