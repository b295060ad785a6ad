package io.mom.transport.rest;

/**
 * Hears of every completed HTTP request, for metrics. Called on Undertow threads once per request:
 * implementations must be thread-safe, fast, and must not throw or block.
 */
@FunctionalInterface
public interface RequestListener {
    RequestListener NONE = (method, status, nanos) -> {
    };

    /**
     * @param method HTTP method
     * @param status response status
     * @param nanos  time from dispatch to completion
     */
    void requestCompleted(String method, int status, long nanos);
}
