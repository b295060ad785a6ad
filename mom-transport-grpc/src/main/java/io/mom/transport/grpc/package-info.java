/** Placeholder until this module is filled. */
package io.mom.transport.grpc;
