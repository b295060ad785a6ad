package io.mom.store.rocksdb;

import io.mom.core.Role;
import io.mom.core.spi.LogOp;
import io.mom.core.spi.StoreException;
import io.mom.core.spi.UserRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static io.mom.store.rocksdb.Fixtures.await;
import static io.mom.store.rocksdb.Fixtures.message;
import static io.mom.store.rocksdb.Fixtures.queue;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Opening, reopening and refusing directories. */
class RocksDbStorageTest {
    @TempDir
    Path dir;

    private void populate(Path store) throws Exception {
        try (RocksDbStorage storage = RocksDbStorage.open(store)) {
            await(storage.messageStore().write(List.of(new LogOp.PutDestination(queue("q")),
                    new LogOp.Append(message("q", 0, 0, "kept"), List.of("$queue")))));
            storage.userStore().putUser(new UserRecord("ann", "hash", Set.of(Role.USER), Fixtures.T0));
        }
    }

    private static Path manifest(Path store) throws Exception {
        try (Stream<Path> files = Files.list(store)) {
            return files.filter(p -> p.getFileName().toString().startsWith("MANIFEST-")).findFirst().orElseThrow();
        }
    }

    @Test
    void dataSurvivesCloseAndANewInstanceOnTheSameDirectory() throws Exception {
        Path store = dir.resolve("data");
        populate(store);

        try (RocksDbStorage reopened = RocksDbStorage.open(store)) {
            Fixtures.Recorded r = Fixtures.recover(reopened);
            assertThat(r.destinations).containsExactly(queue("q"));
            assertThat(r.positions()).containsExactly("q/0/0");
            assertThat(reopened.messageStore().readPayload("q", 0, 0)).hasValue("kept".getBytes(StandardCharsets.UTF_8));
            assertThat(reopened.userStore().users()).extracting(UserRecord::username).containsExactly("ann");
        }
    }

    @Test
    void anExistingEmptyDirectoryBecomesAStore() throws Exception {
        try (RocksDbStorage storage = RocksDbStorage.open(dir)) {
            assertThat(Fixtures.recover(storage).messages).isEmpty();
        }
        assertThat(dir.resolve("CURRENT")).exists();
    }

    @Test
    void aGarbledCurrentFileIsRefusedNamingTheDirectoryAndLeftAsItWas() throws Exception {
        Path store = dir.resolve("data");
        populate(store);
        byte[] garbage = "this is not a manifest name".getBytes(StandardCharsets.UTF_8);
        Files.write(store.resolve("CURRENT"), garbage);

        assertThatThrownBy(() -> RocksDbStorage.open(store)).isInstanceOf(StoreException.class)
                .hasMessageContaining(store.toString()).hasMessageContaining("Cannot open the MOM store");
        assertThat(Files.readAllBytes(store.resolve("CURRENT"))).isEqualTo(garbage);
    }

    @Test
    void aCorruptManifestIsRefusedAsCorrupt() throws Exception {
        Path store = dir.resolve("data");
        populate(store);
        Path manifest = manifest(store);
        byte[] garbage = new byte[4096];
        Arrays.fill(garbage, (byte) 0x5a);
        Files.write(manifest, garbage);

        assertThatThrownBy(() -> RocksDbStorage.open(store)).isInstanceOf(StoreException.class)
                .hasMessageContaining(store.toString()).hasMessageContaining("corrupt")
                .hasMessageContaining("Nothing was changed");
        assertThat(Files.readAllBytes(manifest)).isEqualTo(garbage);
    }

    @Test
    void aNonEmptyDirectoryWithoutADatabaseIsRefusedAndLeftAlone() throws Exception {
        Files.writeString(dir.resolve("notes.txt"), "mine");

        assertThatThrownBy(() -> RocksDbStorage.open(dir)).isInstanceOf(StoreException.class)
                .hasMessageContaining(dir.toString()).hasMessageContaining("not empty");
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).containsExactly(dir.resolve("notes.txt"));
        }
    }

    @Test
    void anotherApplicationsRocksDbIsRefusedWithoutAddingColumnFamilies() throws Exception {
        try (Options options = new Options().setCreateIfMissing(true);
             RocksDB other = RocksDB.open(options, dir.toString())) {
            other.put("their".getBytes(StandardCharsets.UTF_8), "data".getBytes(StandardCharsets.UTF_8));
        }

        assertThatThrownBy(() -> RocksDbStorage.open(dir)).isInstanceOf(StoreException.class)
                .hasMessageContaining(dir.toString()).hasMessageContaining("not").hasMessageContaining("MOM");
        try (Options options = new Options()) {
            assertThat(RocksDB.listColumnFamilies(options, dir.toString())).hasSize(1);
        }
    }

    @Test
    void aStoreOfANewerFormatIsRefused() throws Exception {
        try (RocksDbStorage storage = RocksDbStorage.open(dir)) {
            Columns c = storage.columns();
            c.db().put(c.settings(), Keys.FORMAT_VERSION, ByteBuffer.allocate(4).putInt(99).array());
        }

        assertThatThrownBy(() -> RocksDbStorage.open(dir)).isInstanceOf(StoreException.class)
                .hasMessageContaining(dir.toString()).hasMessageContaining("format version is 99");
    }

    @Test
    void anUndecodableMessageFailsRecoveryWithAStoreExceptionNamingIt() throws Exception {
        populate(dir);
        try (RocksDbStorage storage = RocksDbStorage.open(dir)) {
            Columns c = storage.columns();
            c.db().put(c.messages(), Keys.message("q", 0, 0), new byte[] {1, 50, 'x'});

            assertThatThrownBy(() -> Fixtures.recover(storage)).isInstanceOf(StoreException.class)
                    .hasMessageContaining("Corrupt message q/0/0");
        }
    }

    @Test
    void aDirectoryInUseIsRefused() {
        try (RocksDbStorage first = RocksDbStorage.open(dir)) {
            assertThatThrownBy(() -> RocksDbStorage.open(dir)).isInstanceOf(StoreException.class)
                    .hasMessageContaining(dir.toString()).hasMessageContaining("in use");
            assertThat(Fixtures.recover(first).messages).isEmpty();
        }
    }

    @Test
    void aFileInPlaceOfTheDirectoryIsRefused() throws Exception {
        Path file = Files.writeString(dir.resolve("file"), "x");

        assertThatThrownBy(() -> RocksDbStorage.open(file)).isInstanceOf(StoreException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("not a directory");
    }

    @Test
    void everyUseAfterCloseFailsWithAStoreException() {
        RocksDbStorage storage = RocksDbStorage.open(dir);
        storage.close();
        storage.close();

        assertThatThrownBy(() -> storage.messageStore().readPayload("q", 0, 0)).isInstanceOf(StoreException.class)
                .hasMessageContaining("closed");
        assertThatThrownBy(() -> storage.userStore().users()).isInstanceOf(StoreException.class);
        assertThatThrownBy(() -> Fixtures.recover(storage)).isInstanceOf(StoreException.class);
        assertThat(storage.messageStore().write(List.of())).isCompletedExceptionally();
    }
}
