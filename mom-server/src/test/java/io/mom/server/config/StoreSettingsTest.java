package io.mom.server.config;

import io.mom.store.mongo.MongoStoreSettings.Durability;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The store settings: defaults, the MongoDB write concern and database, and errors that name the setting. */
class StoreSettingsTest {

    private static ServerConfig load(Map<String, String> env) {
        return ConfigLoader.load(new String[0], env);
    }

    @Test
    void rocksDbIsTheDefaultWithA256MebibyteMemoryBudget() {
        ServerConfig.Store store = load(Map.of()).store();
        assertThat(store.kind()).isEqualTo(ServerConfig.Store.Kind.ROCKSDB);
        assertThat(store.memoryBudget()).isEqualTo(256L << 20);
        assertThat(store.mongoWriteConcern()).isEqualTo(Durability.MAJORITY_JOURNALED);
    }

    @Test
    void theWriteConcernIsReadInAnyCaseWithHyphensOrUnderscores() {
        assertThat(load(Map.of("MOM_MONGO_WRITE_CONCERN", "majority")).store().mongoWriteConcern())
                .isEqualTo(Durability.MAJORITY);
        assertThat(load(Map.of("MOM_MONGO_WRITE_CONCERN", "Majority_Journaled")).store().mongoWriteConcern())
                .isEqualTo(Durability.MAJORITY_JOURNALED);
        assertThat(load(Map.of("MOM_MONGO_WRITE_CONCERN", "acknowledged")).store().mongoWriteConcern())
                .isEqualTo(Durability.ACKNOWLEDGED);
        assertThatThrownBy(() -> load(Map.of("MOM_MONGO_WRITE_CONCERN", "w2")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("MOM_MONGO_WRITE_CONCERN must be majority-journaled, majority, journaled or acknowledged, "
                        + "got 'w2'");
    }

    @Test
    void theMongoSettingsCarryTheWriteConcernAndTheNodesDatabase() {
        ServerConfig config = load(Map.of("MOM_STORE", "mongo", "MOM_MONGO_URI", "mongodb://db1:27017",
                "MOM_NODE_ID", "node.1", "MOM_MONGO_WRITE_CONCERN", "journaled"));
        var settings = config.store().mongoSettings();
        assertThat(settings.database()).as("'.' is not allowed in a MongoDB database name").isEqualTo("mom_node_1");
        assertThat(settings.durability()).isEqualTo(Durability.JOURNALED);
        assertThat(settings.hosts()).isEqualTo("db1:27017");
    }

    @Test
    void mongoWithoutAUsableUriOrDatabaseIsRejectedWithoutShowingTheUri() {
        assertThatThrownBy(() -> load(Map.of("MOM_STORE", "mongo")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("needs MOM_MONGO_URI");
        assertThatThrownBy(() -> load(Map.of("MOM_STORE", "mongo", "MOM_MONGO_URI", "http://u:hunter2@h")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("not a valid mongodb:// URI")
                .hasMessageNotContaining("hunter2");
        assertThatThrownBy(() -> load(Map.of("MOM_STORE", "mongo", "MOM_MONGO_URI", "mongodb://h",
                "MOM_MONGO_DATABASE", "a.b")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("database name");
    }

    @Test
    void theMongoSettingsAreNotCheckedForOtherStores() {
        assertThat(load(Map.of("MOM_MONGO_DATABASE", "a.b")).store().kind()).isEqualTo(ServerConfig.Store.Kind.ROCKSDB);
    }
}
