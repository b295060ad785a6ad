package io.mom.store.rocksdb;

import io.mom.core.spi.StoreException;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.Cache;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.CompressionType;
import org.rocksdb.DBOptions;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Status;
import org.rocksdb.WriteOptions;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Opens (or creates) a store directory, refusing anything that is not a MOM store: a non-empty directory without
 * RocksDB files, a RocksDB database with foreign column families or data but no format marker, a newer format.
 * It never deletes or repairs anything. Every failure is a {@link StoreException} naming the directory.
 */
final class StoreOpener {
    static final int FORMAT_VERSION = 1;
    private static final long BLOCK_CACHE_BYTES = 64L << 20;
    private static final long MAX_TOTAL_WAL_BYTES = 256L << 20;

    /** What an open store holds; {@code resources} are closed in reverse order. */
    record Opened(Columns columns, List<AutoCloseable> resources) {
    }

    private StoreOpener() {
    }

    /** Loads the native library once per JVM, on first use. */
    private static final class NativeLibrary {
        static {
            RocksDB.loadLibrary();
        }

        static void ensureLoaded() {
            // The static initializer did the work.
        }
    }

    static Opened open(Path dir) {
        NativeLibrary.ensureLoaded();
        boolean fresh = prepare(dir);
        if (!fresh) {
            probe(dir);
        }
        List<AutoCloseable> resources = new ArrayList<>();
        try {
            Cache cache = add(resources, new LRUCache(BLOCK_CACHE_BYTES));
            BloomFilter bloom = add(resources, new BloomFilter(10));
            DBOptions options = add(resources, new DBOptions().setCreateIfMissing(true)
                    .setCreateMissingColumnFamilies(true).setMaxBackgroundJobs(2)
                    .setMaxTotalWalSize(MAX_TOTAL_WAL_BYTES).setKeepLogFileNum(3).setMaxLogFileSize(8L << 20));
            List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
            descriptors.add(new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY,
                    add(resources, columnOptions("default", cache, bloom))));
            for (String name : Columns.NAMES) {
                descriptors.add(new ColumnFamilyDescriptor(Columns.nameBytes(name),
                        add(resources, columnOptions(name, cache, bloom))));
            }
            List<ColumnFamilyHandle> handles = new ArrayList<>();
            RocksDB db = add(resources, RocksDB.open(options, dir.toString(), descriptors, handles));
            resources.addAll(handles);
            Columns columns = Columns.of(db, handles.subList(1, handles.size()));
            checkFormat(dir, columns);
            return new Opened(columns, resources);
        } catch (RocksDBException e) {
            closeAll(resources);
            throw openFailure(dir, e);
        } catch (StoreException | Error e) {
            closeAll(resources);
            throw e;
        } catch (RuntimeException e) {
            closeAll(resources);
            throw new StoreException("Cannot open the MOM store in " + dir + ": " + e, e);
        }
    }

    private static ColumnFamilyOptions columnOptions(String name, Cache cache, BloomFilter bloom) {
        boolean big = name.equals("messages") || name.equals("pending");
        BlockBasedTableConfig table = new BlockBasedTableConfig().setBlockCache(cache)
                .setBlockSize(name.equals("messages") ? 16 << 10 : 4 << 10);
        if (big) {
            table.setFilterPolicy(bloom);
        }
        // Most messages are consumed while still in the upper levels: compressing them there (payloads are often
        // incompressible) costs CPU on every flush and compaction for little gain, so only the deeper levels do.
        List<CompressionType> perLevel = List.of(CompressionType.NO_COMPRESSION, CompressionType.NO_COMPRESSION,
                CompressionType.LZ4_COMPRESSION, CompressionType.LZ4_COMPRESSION, CompressionType.LZ4_COMPRESSION,
                CompressionType.LZ4_COMPRESSION, CompressionType.LZ4_COMPRESSION);
        return new ColumnFamilyOptions().setTableFormatConfig(table).setCompressionPerLevel(perLevel)
                .setWriteBufferSize(big ? 64L << 20 : 4L << 20);
    }

    /** Creates the directory if needed; true when it is new or empty. */
    private static boolean prepare(Path dir) {
        try {
            if (Files.exists(dir) && !Files.isDirectory(dir)) {
                throw new StoreException("Cannot open the MOM store in " + dir + ": it is not a directory");
            }
            Files.createDirectories(dir);
            try (Stream<Path> entries = Files.list(dir)) {
                return entries.findAny().isEmpty();
            }
        } catch (IOException e) {
            throw new StoreException("Cannot open the MOM store in " + dir + ": " + e, e);
        }
    }

    /** Refuses a non-empty directory that is not a RocksDB database of this store, before changing anything. */
    private static void probe(Path dir) {
        if (!Files.isRegularFile(dir.resolve("CURRENT"))) {
            throw new StoreException("Refusing to use " + dir + ": it is not a MOM store (the directory is not empty "
                    + "and holds no RocksDB database: no CURRENT file). Use an empty or new directory.");
        }
        List<byte[]> existing;
        try (Options options = new Options()) {
            existing = RocksDB.listColumnFamilies(options, dir.toString());
        } catch (RocksDBException e) {
            throw openFailure(dir, e);
        }
        if (existing.isEmpty()) {
            throw new StoreException("Cannot open the MOM store in " + dir + ": its RocksDB files are corrupt or "
                    + "unreadable (no column family could be read from CURRENT and the MANIFEST). Nothing was "
                    + "changed; restore the directory from a backup or move it away.");
        }
        List<String> known = new ArrayList<>(Columns.NAMES);
        known.add("default");
        for (byte[] cf : existing) {
            String name = new String(cf, StandardCharsets.UTF_8);
            if (!known.contains(name)) {
                throw new StoreException("Refusing to use " + dir + ": it is not a MOM store (its RocksDB database "
                        + "has a column family '" + name + "' that MOM does not know: another application's "
                        + "database, or a newer MOM format)");
            }
        }
        // Every name is known, so fewer means some of the store's column families are missing.
        boolean complete = existing.size() == known.size();
        if (!complete && hasData(dir, existing)) {
            throw new StoreException("Refusing to use " + dir + ": it is not a MOM store (it holds a RocksDB "
                    + "database with data but without the MOM column families)");
        }
    }

    /** Looks read-only into a database that lacks some of the store's column families (so nothing gets created). */
    private static boolean hasData(Path dir, List<byte[]> existing) {
        List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
        existing.forEach(cf -> descriptors.add(new ColumnFamilyDescriptor(cf)));
        List<ColumnFamilyHandle> handles = new ArrayList<>();
        try (DBOptions options = new DBOptions();
             RocksDB db = RocksDB.openReadOnly(options, dir.toString(), descriptors, handles)) {
            try {
                for (ColumnFamilyHandle h : handles) {
                    try (RocksIterator it = db.newIterator(h)) {
                        it.seekToFirst();
                        if (it.isValid()) {
                            return true;
                        }
                    }
                }
                return false;
            } finally {
                handles.forEach(ColumnFamilyHandle::close);
            }
        } catch (RocksDBException e) {
            throw openFailure(dir, e);
        } catch (IllegalArgumentException e) {
            throw new StoreException("Cannot open the MOM store in " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Writes the marker into a new store; refuses a store of another application or format. */
    private static void checkFormat(Path dir, Columns c) throws RocksDBException {
        byte[] marker = c.db().get(c.settings(), Keys.FORMAT_VERSION);
        if (marker == null) {
            if (!isEmpty(c)) {
                throw new StoreException("Refusing to use " + dir + ": it is not a MOM store (it holds a RocksDB "
                        + "database with data but without the MOM format marker)");
            }
            try (WriteOptions sync = new WriteOptions().setSync(true)) {
                c.db().put(c.settings(), sync, Keys.FORMAT_VERSION,
                        ByteBuffer.allocate(4).putInt(FORMAT_VERSION).array());
            }
            return;
        }
        int version = marker.length == 4 ? ByteBuffer.wrap(marker).getInt() : -1;
        if (version != FORMAT_VERSION) {
            throw new StoreException("Cannot open the MOM store in " + dir + ": its format version is " + version
                    + " and this MOM reads version " + FORMAT_VERSION);
        }
    }

    private static boolean isEmpty(Columns c) {
        List<ColumnFamilyHandle> all = List.of(c.db().getDefaultColumnFamily(), c.catalog(), c.messages(), c.pending(),
                c.users(), c.revoked(), c.settings());
        for (ColumnFamilyHandle h : all) {
            try (RocksIterator it = c.db().newIterator(h)) {
                it.seekToFirst();
                if (it.isValid()) {
                    return false;
                }
            }
        }
        return true;
    }

    static StoreException openFailure(Path dir, RocksDBException e) {
        Status status = e.getStatus();
        Status.Code code = status == null ? null : status.getCode();
        String detail = e.getMessage();
        if (code == Status.Code.Corruption) {
            return new StoreException("Cannot open the MOM store in " + dir + ": its RocksDB files are corrupt ("
                    + detail + "). Nothing was changed; restore the directory from a backup or move it away.", e);
        }
        if (detail != null && detail.contains("lock")) {
            return new StoreException("Cannot open the MOM store in " + dir + ": it is already in use by another "
                    + "store instance or process (" + detail + ")", e);
        }
        return new StoreException("Cannot open the MOM store in " + dir + ": its RocksDB files are unreadable or "
                + "invalid (" + detail + "). Nothing was changed.", e);
    }

    private static <T extends AutoCloseable> T add(List<AutoCloseable> resources, T resource) {
        resources.add(resource);
        return resource;
    }

    static void closeAll(List<AutoCloseable> resources) {
        for (int i = resources.size() - 1; i >= 0; i--) {
            try {
                resources.get(i).close();
            } catch (Exception e) {
                // Closing native handles does not fail in practice; keep closing the others.
            }
        }
    }
}
