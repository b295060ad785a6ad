package io.mom.store.mongo;

import io.mom.core.ErrorCode;
import io.mom.core.MomException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Settings are validated on construction, default to majority + journal, and never print credentials. */
class MongoStoreSettingsTest {

    @Test
    void defaultsToMajorityJournaledAndAFiveSecondSelectionTimeout() {
        MongoStoreSettings s = MongoStoreSettings.of("mongodb://db1:27017,db2:27017/?replicaSet=rs", "mom_n1");

        assertThat(s.durability()).isEqualTo(MongoStoreSettings.Durability.MAJORITY_JOURNALED);
        assertThat(s.durability().writeConcern().getWString()).isEqualTo("majority");
        assertThat(s.durability().writeConcern().getJournal()).isTrue();
        assertThat(s.serverSelectionTimeout()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void theDurabilitySetsTheWriteConcernAndKeepsTheWriteTimeoutOfTheConnectionString() {
        com.mongodb.WriteConcern concern = MongoConnection.writeConcern(MongoStoreSettings.Durability.ACKNOWLEDGED,
                new com.mongodb.ConnectionString("mongodb://localhost/?w=majority&journal=true&wtimeoutMS=2500"));

        assertThat(concern.getW()).isEqualTo(1);
        assertThat(concern.getJournal()).isNull();
        assertThat(concern.getWTimeout(java.util.concurrent.TimeUnit.MILLISECONDS)).isEqualTo(2500);
    }

    @Test
    void aMalformedConnectionStringIsRejectedWithoutEchoingIt() {
        assertThatThrownBy(() -> MongoStoreSettings.of("http://u:secret@x", "mom_n1"))
                .isInstanceOfSatisfying(MomException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_REQUEST))
                .hasMessageNotContaining("secret");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a.b", "a/b", "a b", "a$b", "1234567890123456789012345678901234567890123456789012345678901234"})
    void databaseNamesMongoRejectsAreRejected(String database) {
        assertThatThrownBy(() -> MongoStoreSettings.of("mongodb://localhost", database))
                .isInstanceOfSatisfying(MomException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_REQUEST))
                .hasMessageContaining("database");
    }

    @Test
    void aNonPositiveSelectionTimeoutIsRejected() {
        assertThatThrownBy(() -> MongoStoreSettings.builder("mongodb://localhost", "d")
                .serverSelectionTimeout(Duration.ZERO).build()).isInstanceOf(MomException.class);
    }

    @Test
    void toStringShowsHostsAndDatabaseButNotCredentials() {
        MongoStoreSettings s = MongoStoreSettings.of("mongodb://admin:secret@db1:27017/?authSource=admin", "mom_n1");

        assertThat(s.toString()).contains("db1:27017", "mom_n1").doesNotContain("secret", "admin:");
    }

    @Test
    void theDefaultDatabaseOfANodeIsAValidName() {
        assertThat(MongoStoreSettings.databaseForNode("node-1")).isEqualTo("mom_node-1");
        String odd = MongoStoreSettings.databaseForNode("host.example.com:8080/é" + "x".repeat(100));
        assertThat(odd).startsWith("mom_host_example_com_8080__x").hasSize(63);
        assertThat(MongoStoreSettings.of("mongodb://localhost", odd).database()).isEqualTo(odd);
    }
}
