package io.mom.core.internal;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * A message about to be stored: from a producer, or moved (dead-lettered, transferred) with its
 * original id, sender and times.
 *
 * @param producerId the id to deduplicate on, if the producer chose one
 */
record Draft(Optional<String> producerId, Optional<String> keepId, byte[] payload, Map<String, String> headers,
             Optional<String> key, String sender, Optional<Instant> publishedAt, Optional<Instant> expiresAt) {
}
