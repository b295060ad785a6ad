/**
 * The REST transport: {@link io.mom.transport.rest.RestServer} serves the API of {@code API.md} over
 * Undertow, with JSON bodies, bearer tokens ({@link io.mom.transport.rest.auth.JwtAuthenticator}) and
 * server-sent-event push streams. The server module supplies the broker, users, metrics and cluster view.
 */
package io.mom.transport.rest;
