/**
 * Hand-run measurements of the RocksDB store (main classes, not tests): {@link
 * io.mom.store.rocksdb.bench.RecoveryBench} times recovery of many pending messages, {@link
 * io.mom.store.rocksdb.bench.WriteThroughputBench} durable writes per second with concurrent writers.
 */
package io.mom.store.rocksdb.bench;
