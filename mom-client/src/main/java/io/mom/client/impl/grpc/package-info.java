/**
 * The gRPC transport of the client ({@code grpc://} and {@code grpcs://} URLs) over the {@code mom.v1}
 * API: unary calls for administration, pulls and acks; one {@code PublishStream} per session for
 * publishing with a bounded number of requests in flight; a {@code Subscribe} stream per push
 * subscription whose credit is granted back as the application settles deliveries.
 */
package io.mom.client.impl.grpc;
