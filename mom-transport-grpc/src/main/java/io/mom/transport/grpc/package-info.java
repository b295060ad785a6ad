/**
 * The gRPC transport of MOM: {@link io.mom.transport.grpc.GrpcServer} serves the {@code mom.v1} API
 * (generated in {@code io.mom.grpc.v1}) over a {@link io.mom.core.Broker}. Services only translate
 * protobuf to core records and {@link io.mom.core.ErrorCode}s to statuses ({@link
 * io.mom.transport.grpc.StatusMapping}); the streaming calls add flow control so that neither a fast
 * producer nor a slow consumer makes the server buffer without bound.
 */
package io.mom.transport.grpc;
