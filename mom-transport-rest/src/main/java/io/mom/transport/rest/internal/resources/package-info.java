/**
 * The REST resources, one small class per group (auth, users, queues, topics, subscriptions,
 * operations). Each maps JSON to broker calls and back; the rules live in the broker and the user
 * directory.
 */
package io.mom.transport.rest.internal.resources;
