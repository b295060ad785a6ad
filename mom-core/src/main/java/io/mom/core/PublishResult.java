package io.mom.core;

/**
 * The outcome of one accepted publish.
 *
 * @param id        the message id (the producer's, when it set one)
 * @param duplicate true when the id had been published to the destination within the dedup window
 *                  and this publish stored nothing new
 */
public record PublishResult(String id, boolean duplicate) {
}
