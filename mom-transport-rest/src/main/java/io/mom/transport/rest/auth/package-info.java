/** Bearer tokens of the REST (and gRPC) API: {@link io.mom.transport.rest.auth.JwtAuthenticator}. */
package io.mom.transport.rest.auth;
