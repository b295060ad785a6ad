/**
 * MongoDB adapters of the store ports: {@link io.mom.store.mongo.MongoMessageStore} (catalog and
 * messages, group-committed) and {@link io.mom.store.mongo.MongoUserStore} (users, revoked tokens,
 * settings), configured by {@link io.mom.store.mongo.MongoStoreSettings}. Each node uses its own
 * database. Only single-document atomic operations, ordered bulk writes and the {@code _id} index are
 * relied on, so any MongoDB deployment works (standalone, replica set, sharded by database).
 */
package io.mom.store.mongo;
