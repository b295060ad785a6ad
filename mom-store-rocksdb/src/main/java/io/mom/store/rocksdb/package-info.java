/**
 * The durable embedded store: {@link io.mom.store.rocksdb.RocksDbStorage} opens one RocksDB database in a
 * directory and exposes the broker's log ({@link io.mom.store.rocksdb.RocksDbMessageStore}, group-committed) and
 * its users ({@link io.mom.store.rocksdb.RocksDbUserStore}).
 *
 * <p>Layout: column families {@code catalog}, {@code messages}, {@code pending}, {@code users}, {@code revoked} and
 * {@code settings}; compact binary values, each starting with a format version byte; a format marker in
 * {@code settings}. Message keys sort by destination, partition and sequence, which is the recovery order.
 */
package io.mom.store.rocksdb;
