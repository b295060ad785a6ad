package io.mom.client.impl.rest;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.mom.client.MomClientException;
import io.mom.client.impl.Errors;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One HTTP round trip of the REST API: builds the request (JSON body, bearer token), sends it, decodes
 * a 2xx body and turns anything else into the client exception of its problem+json {@code code}.
 * Thread-safe.
 */
final class RestExchange {
    /** Decodes the JSON body (an empty object when there was none) of a 2xx response. */
    @FunctionalInterface
    interface Decoder<T> {
        T decode(int status, JsonElement body);
    }

    /** A decoder for answers without a body. */
    static final Decoder<Void> NOTHING = (status, body) -> null;

    private static final String JSON = "application/json; charset=utf-8";
    private static final int MAX_ERROR_BODY = 64 * 1024;

    private final HttpClient http;
    /** Most {@code 307}/{@code 308} hops followed when opening a stream. */
    private static final int MAX_REDIRECTS = 3;

    private volatile URI base;
    private final Duration openTimeout;

    RestExchange(HttpClient http, URI base, Duration connectTimeout, Duration requestTimeout) {
        this.http = http;
        this.base = base;
        this.openTimeout = connectTimeout.plus(requestTimeout);
    }

    /** Sends every later call to {@code host:port} (a cluster node's REST address), with the same scheme. */
    void rebase(String restAddress) {
        URI moved = URI.create(base.getScheme() + "://" + restAddress);
        if (moved.getHost() == null) {
            throw new IllegalArgumentException("not a host:port address: " + restAddress);
        }
        base = moved;
    }

    URI base() {
        return base;
    }

    <T> CompletableFuture<T> send(String method, String path, String token, JsonElement body, Duration timeout,
                                  Decoder<T> decoder) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(timeout).header("Accept", JSON);
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (body != null) {
            b.header("Content-Type", JSON);
            b.method(method, HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return http.sendAsync(b.build(), HttpResponse.BodyHandlers.ofByteArray()).handle((response, error) -> {
            if (error != null) {
                throw Errors.unreachable(method + " " + path, Errors.unwrap(error));
            }
            int status = response.statusCode();
            if (status / 100 != 2) {
                throw problem(status, response.body());
            }
            try {
                return decoder.decode(status, RestTransport.parse(response.body()));
            } catch (RuntimeException e) {
                throw RestTransport.invalidResponse(status, e);
            }
        });
    }

    /** Opens an event stream and waits for its response headers; throws the server's error if it is not 200. */
    HttpResponse<InputStream> openStream(String path, String token) {
        URI target = uri(path);
        for (int hop = 0; ; hop++) {
            HttpResponse<InputStream> response = openStreamAt(target, path, token);
            int status = response.statusCode();
            if ((status != 307 && status != 308) || hop >= MAX_REDIRECTS) {
                return checked(response);
            }
            // A loaded cluster node sends new streams elsewhere. Followed here rather than by the
            // HttpClient so that the bearer token goes along to the other host.
            String location = response.headers().firstValue("Location").orElse(null);
            drain(response);
            if (location == null) {
                throw Errors.unreachable("opening stream " + path, new IOException("redirect without Location"));
            }
            target = target.resolve(location);
        }
    }

    private HttpResponse<InputStream> openStreamAt(URI target, String path, String token) {
        HttpRequest request = HttpRequest.newBuilder(target)
                .header("Accept", "text/event-stream")
                .header("Cache-Control", "no-cache")
                .header("Authorization", "Bearer " + token)
                .GET().build();
        CompletableFuture<HttpResponse<InputStream>> pending = http.sendAsync(request,
                HttpResponse.BodyHandlers.ofInputStream());
        HttpResponse<InputStream> response;
        try {
            response = pending.get(openTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            abandon(pending);
            throw Errors.unreachable("opening stream " + path + " timed out", e);
        } catch (ExecutionException e) {
            throw Errors.unreachable("opening stream " + path, Errors.unwrap(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            abandon(pending);
            throw new MomClientException(Errors.INTERRUPTED, MomClientException.NO_STATUS, "interrupted", e);
        }
        return response;
    }

    private static void drain(HttpResponse<InputStream> response) {
        try (InputStream in = response.body()) {
            in.readNBytes(MAX_ERROR_BODY);
        } catch (IOException ignored) {
            // the body of a redirect carries nothing needed
        }
    }

    private static HttpResponse<InputStream> checked(HttpResponse<InputStream> response) {
        if (response.statusCode() != 200) {
            byte[] body;
            try (InputStream in = response.body()) {
                body = in.readNBytes(MAX_ERROR_BODY);
            } catch (IOException e) {
                body = new byte[0];
            }
            throw problem(response.statusCode(), body);
        }
        return response;
    }

    private static void abandon(CompletableFuture<HttpResponse<InputStream>> pending) {
        pending.cancel(true);
        pending.thenAccept(r -> {
            try {
                r.body().close();
            } catch (IOException ignored) {
                // nothing to release beyond the closed body
            }
        });
    }

    private URI uri(String path) {
        return URI.create(base + path);
    }

    /** The client exception of an error response: its problem+json code, else its status. */
    static MomClientException problem(int status, byte[] body) {
        String code = null;
        String detail = null;
        List<String> ids = List.of();
        try {
            JsonElement parsed = RestTransport.parse(body);
            if (parsed.isJsonObject()) {
                JsonObject o = parsed.getAsJsonObject();
                code = RestJson.optionalString(o, "code").orElse(null);
                detail = RestJson.optionalString(o, "detail").or(() -> RestJson.optionalString(o, "title")).orElse(null);
                ids = RestJson.stringList(o.get("ids"));
            }
        } catch (RuntimeException notJson) {
            String text = new String(body, StandardCharsets.UTF_8).strip();
            detail = text.isEmpty() ? null : "HTTP " + status + ": " + (text.length() > 200 ? text.substring(0, 200) : text);
        }
        return Errors.fromCode(code, status, detail == null ? "HTTP " + status : detail, ids, null);
    }
}
