package io.mom.transport.rest;

/**
 * Hears of every completed HTTP request, for metrics. Called on Undertow threads once per request:
 * implementations must be thread-safe, fast, and must not throw or block.
 */
@FunctionalInterface
public interface RequestListener {
    /** The route of requests that matched none (unknown paths), so that they stay one series. */
    String UNMATCHED = "unmatched";

    RequestListener NONE = (method, status, nanos) -> {
    };

    /**
     * @param method HTTP method
     * @param status response status
     * @param nanos  time from dispatch to completion
     */
    void requestCompleted(String method, int status, long nanos);

    /**
     * The same, with the route template that served the request, such as {@code /v1/queues/{name}}
     * ({@link #UNMATCHED} when none did), so that listeners can time each endpoint without one series per
     * destination. The default ignores the route.
     */
    default void requestCompleted(String method, String route, int status, long nanos) {
        requestCompleted(method, status, nanos);
    }
}
