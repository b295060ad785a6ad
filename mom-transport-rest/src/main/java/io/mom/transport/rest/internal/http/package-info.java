/**
 * HTTP plumbing of the REST transport on Undertow: routing, authentication of the bearer token,
 * bounded body reading, the single error-code-to-status table ({@link
 * io.mom.transport.rest.internal.http.Problem}) and the access log. Endpoints live in
 * {@code internal.resources}.
 */
package io.mom.transport.rest.internal.http;
