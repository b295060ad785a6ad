package io.mom.store.rocksdb;

import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDB;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * An open database and the handles of the store's column families.
 *
 * @param catalog  destinations and subscriptions ({@link Keys})
 * @param messages one value per stored message ({@link MessageCodec})
 * @param pending  per message, the subscriptions that still need it with their delivery counts ({@link PendingMarks})
 * @param users    users by name
 * @param revoked  revoked tokens by id
 * @param settings small values, and the store's format marker
 */
record Columns(RocksDB db, ColumnFamilyHandle catalog, ColumnFamilyHandle messages, ColumnFamilyHandle pending,
               ColumnFamilyHandle users, ColumnFamilyHandle revoked, ColumnFamilyHandle settings) {

    /** The store's column families besides RocksDB's default one, in the order of the record's handles. */
    static final List<String> NAMES = List.of("catalog", "messages", "pending", "users", "revoked", "settings");

    static byte[] nameBytes(String name) {
        return name.getBytes(StandardCharsets.UTF_8);
    }

    /** Builds the record from handles listed in the order of {@link #NAMES}. */
    static Columns of(RocksDB db, List<ColumnFamilyHandle> handles) {
        return new Columns(db, handles.get(0), handles.get(1), handles.get(2), handles.get(3), handles.get(4),
                handles.get(5));
    }
}
