package io.mom.cluster;

import java.util.Optional;

/**
 * Told about every change of cluster-wide metadata ({@link ZkMetadata}), so each node can mirror
 * destinations, users and revoked tokens. Callbacks run on a Curator cache thread, one at a time,
 * also for every entry present when the cache first loads; they must be quick. Changes of one entry
 * arrive in order, and changes in quick succession may be merged, but the last call for an entry
 * always carries its current value; changes of different entries may interleave differently than
 * they were made.
 */
@FunctionalInterface
public interface MetadataListener {
    /**
     * @param kind  which kind of entry changed
     * @param key   its key (destination name, user name, token id)
     * @param value its new value, or empty when it was removed; for {@link MetadataKind#REVOKED_TOKEN}
     *              the value is the expiry as decimal epoch milliseconds in UTF-8
     */
    void changed(MetadataKind kind, String key, Optional<byte[]> value);
}
