/** Authentication and user administration ports, shared by the REST and gRPC transports. */
package io.mom.core.auth;
