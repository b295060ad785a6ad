package io.mom.transport.rest.internal.http;

import com.google.gson.JsonObject;
import io.mom.core.ErrorCode;
import io.mom.core.Identity;
import io.mom.core.MomException;
import io.mom.transport.rest.internal.json.StrictJson;
import io.undertow.server.HttpServerExchange;

import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Optional;

/**
 * One matched request as endpoints see it: path and query parameters, the authenticated caller and
 * the body, read (bounded) on first use. Used by one thread at a time.
 */
public final class Call {
    private final HttpServerExchange exchange;
    private final Map<String, String> params;
    private final Map<String, String> query;
    private final Identity identity;
    private final String token;
    private final long maxBodyBytes;

    Call(HttpServerExchange exchange, Map<String, String> params, Map<String, String> query, Identity identity,
         String token, long maxBodyBytes) {
        this.exchange = exchange;
        this.params = params;
        this.query = query;
        this.identity = identity;
        this.token = token;
        this.maxBodyBytes = maxBodyBytes;
    }

    /** A path parameter of the route template. */
    public String path(String name) {
        String value = params.get(name);
        if (value == null) {
            throw new IllegalStateException("route has no parameter " + name);
        }
        return value;
    }

    public Optional<String> query(String name) {
        return Optional.ofNullable(query.get(name));
    }

    /** The authenticated caller; only on routes that require a token. */
    public Identity identity() {
        if (identity == null) {
            throw new MomException(ErrorCode.UNAUTHORIZED, "a bearer token is required");
        }
        return identity;
    }

    /** The bearer token of the request, on routes that require one. */
    public String token() {
        if (token == null) {
            throw new MomException(ErrorCode.UNAUTHORIZED, "a bearer token is required");
        }
        return token;
    }

    /** The body, which must be a JSON object. */
    public JsonObject json() {
        return StrictJson.object(BodyReader.read(exchange, maxBodyBytes), false);
    }

    /** The body as a JSON object, or an empty object when there is no body. */
    public JsonObject jsonOrEmpty() {
        return StrictJson.object(BodyReader.read(exchange, maxBodyBytes), true);
    }

    public String remoteAddress() {
        InetSocketAddress a = exchange.getSourceAddress();
        return a == null || a.getAddress() == null ? "-" : a.getAddress().getHostAddress();
    }

    /** The underlying exchange, for endpoints that stream their answer. */
    public HttpServerExchange exchange() {
        return exchange;
    }
}
