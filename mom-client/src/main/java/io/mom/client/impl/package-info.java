/**
 * Implementation of the client; not API. {@link io.mom.client.impl.RemoteMomClient} holds the
 * transport-neutral logic (session and re-login, message acks, push subscriptions with reconnect and
 * backoff) on top of a {@link io.mom.client.impl.Transport}, which maps calls onto one wire protocol.
 * {@link io.mom.client.impl.ClientFactory} picks the transport from the URL scheme: REST
 * ({@code io.mom.client.impl.rest}) for {@code http}/{@code https}; a gRPC transport for
 * {@code grpc}/{@code grpcs} plugs in there.
 */
package io.mom.client.impl;
