package io.mom.transport.rest.testing;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** A small JSON client of the REST API for tests, over the JDK HTTP client. Thread-safe. */
public final class ApiClient {
    private final String baseUrl;
    private final HttpClient http;

    public ApiClient(String baseUrl) {
        this(baseUrl, null);
    }

    public ApiClient(String baseUrl, SSLContext tls) {
        this.baseUrl = baseUrl;
        HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
                .version(HttpClient.Version.HTTP_1_1);
        if (tls != null) {
            b.sslContext(tls);
        }
        this.http = b.build();
    }

    public String baseUrl() {
        return baseUrl;
    }

    public HttpReply get(String path, String token) {
        return send("GET", path, token, null);
    }

    public HttpReply post(String path, String token, String json) {
        return send("POST", path, token, json);
    }

    public HttpReply put(String path, String token, String json) {
        return send("PUT", path, token, json);
    }

    public HttpReply delete(String path, String token) {
        return send("DELETE", path, token, null);
    }

    public HttpReply send(String method, String path, String token, String json) {
        return sendBytes(method, path, token, json == null ? null : json.getBytes(StandardCharsets.UTF_8));
    }

    public HttpReply sendBytes(String method, String path, String token, byte[] body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(60));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        try {
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new HttpReply(r.statusCode(), r.headers(), r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Logs in; returns the token (fails the test on anything but 200). */
    public String login(String username, String password) {
        JsonObject body = new JsonObject();
        body.addProperty("username", username);
        body.addProperty("password", password);
        HttpReply r = post("/v1/auth/login", null, body.toString());
        if (r.status() != 200) {
            throw new AssertionError("login of " + username + " failed: " + r);
        }
        return r.str("token");
    }

    /** Opens a push stream; events are read in the background. */
    public SseEvents stream(String path, String token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + path)).GET();
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        try {
            HttpResponse<java.util.stream.Stream<String>> r = http.send(b.build(), HttpResponse.BodyHandlers.ofLines());
            return new SseEvents(r.statusCode(), r.headers().firstValue("content-type").orElse(""), r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Builds a JSON object from alternating names and values. */
    public static String json(Object... namesAndValues) {
        JsonObject o = new JsonObject();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            o.add((String) namesAndValues[i], JsonParser.parseString(new com.google.gson.Gson().toJson(namesAndValues[i + 1])));
        }
        return o.toString();
    }
}
