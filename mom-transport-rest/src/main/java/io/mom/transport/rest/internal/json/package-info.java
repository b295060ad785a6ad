/**
 * JSON mapping of the REST API: strict parsing of request bodies ({@link
 * io.mom.transport.rest.internal.json.StrictJson}, {@link io.mom.transport.rest.internal.json.Fields}) and the
 * wire shapes of messages, destinations, subscriptions, users and problems. No business rules.
 */
package io.mom.transport.rest.internal.json;
