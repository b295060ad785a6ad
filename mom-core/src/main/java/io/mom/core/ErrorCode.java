package io.mom.core;

/**
 * Stable error codes shared by every transport. Adapters map each code to a status in one table
 * (HTTP status for REST, gRPC status for gRPC) and send the code itself to the client unchanged.
 */
public enum ErrorCode {
    UNAUTHORIZED,
    FORBIDDEN,
    NOT_FOUND,
    ALREADY_EXISTS,
    CONFLICT,
    INVALID_NAME,
    INVALID_REQUEST,
    PAYLOAD_TOO_LARGE,
    GONE,
    QUEUE_FULL,
    UNAVAILABLE,
    INTERNAL
}
