package io.mom.client.impl.rest;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.mom.client.AckMode;
import io.mom.client.AckResult;
import io.mom.client.ClientOptions;
import io.mom.client.DeletePolicy;
import io.mom.client.Destination;
import io.mom.client.DestinationInfo;
import io.mom.client.DestinationOptions;
import io.mom.client.DestinationType;
import io.mom.client.ListRequest;
import io.mom.client.MomClientException;
import io.mom.client.NackMode;
import io.mom.client.OutgoingMessage;
import io.mom.client.Page;
import io.mom.client.ReceiveOptions;
import io.mom.client.Session;
import io.mom.client.Source;
import io.mom.client.SubscribeOptions;
import io.mom.client.SubscriptionInfo;
import io.mom.client.SubscriptionOptions;
import io.mom.client.UserInfo;
import io.mom.client.impl.Delivery;
import io.mom.client.impl.Errors;
import io.mom.client.impl.PushStream;
import io.mom.client.impl.Transport;

import java.io.InputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * {@link Transport} over the REST API v1 with the JDK {@link HttpClient} (HTTP/1.1). Load balancing
 * (FR-22): a stream opening answered with a {@code 307} is re-sent, with its token, to the
 * {@code Location}; a login that names a {@code preferredNode} moves every later call to that node
 * unless {@link ClientOptions#followLoadHints()} is off. Every call is asynchronous
 * except {@link #openStream}, which blocks until the server accepted the stream. Thread-safe.
 */
public final class RestTransport implements Transport {
    private static final Logger LOG = LoggerFactory.getLogger(RestTransport.class);
    private final HttpClient http;
    private final RestExchange exchange;
    private final Duration requestTimeout;
    private final StreamWatchdog watchdog;
    private final boolean followLoadHints;

    /** A transport for the options' {@code http}/{@code https} URL. */
    public RestTransport(ClientOptions options) {
        HttpClient.Builder b = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(options.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER);
        options.sslContext().ifPresent(b::sslContext);
        this.http = b.build();
        String base = options.url().toString();
        while (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        this.requestTimeout = options.requestTimeout();
        this.exchange = new RestExchange(http, URI.create(base), options.connectTimeout(), requestTimeout);
        this.watchdog = new StreamWatchdog(options.streamIdleTimeout());
        this.followLoadHints = options.followLoadHints();
    }

    @Override
    public CompletableFuture<Session> login(String username, String password) {
        JsonObject body = new JsonObject();
        body.addProperty("username", username);
        body.addProperty("password", password);
        return exchange.send("POST", "/v1/auth/login", null, body, requestTimeout,
                (status, json) -> {
                    JsonObject o = json.getAsJsonObject();
                    Session session = RestJson.session(o);
                    if (followLoadHints && o.has("preferredNode") && o.get("preferredNode").isJsonObject()) {
                        RestJson.optionalString(o.getAsJsonObject("preferredNode"), "restAddress")
                                .filter(a -> !a.isEmpty()).ifPresent(this::moveTo);
                    }
                    return session;
                });
    }

    private void moveTo(String restAddress) {
        try {
            exchange.rebase(restAddress);
            LOG.info("Server is above its load threshold; using preferred node {}", exchange.base());
        } catch (IllegalArgumentException e) {
            LOG.warn("Ignoring unusable preferredNode address {}", restAddress);
        }
    }

    @Override
    public CompletableFuture<Void> logout(String token) {
        return exchange.send("POST", "/v1/auth/logout", token, null, requestTimeout, RestExchange.NOTHING);
    }

    @Override
    public CompletableFuture<UserInfo> me(String token) {
        return exchange.send("GET", "/v1/auth/me", token, null, requestTimeout,
                (status, json) -> RestJson.user(json.getAsJsonObject()));
    }

    @Override
    public CompletableFuture<Void> createUser(String token, String username, String password, List<String> roles) {
        JsonObject body = new JsonObject();
        body.addProperty("username", username);
        body.addProperty("password", password);
        body.add("roles", RestJson.array(roles));
        return exchange.send("POST", "/v1/users", token, body, requestTimeout, RestExchange.NOTHING);
    }

    @Override
    public CompletableFuture<List<UserInfo>> listUsers(String token) {
        return exchange.send("GET", "/v1/users", token, null, requestTimeout, (status, json) -> {
            JsonElement items = json.isJsonObject() && json.getAsJsonObject().has("items")
                    ? json.getAsJsonObject().get("items") : json;
            List<UserInfo> users = new ArrayList<>();
            items.getAsJsonArray().forEach(e -> users.add(RestJson.user(e.getAsJsonObject())));
            return users;
        });
    }

    @Override
    public CompletableFuture<Void> changePassword(String token, String username, String password) {
        JsonObject body = new JsonObject();
        body.addProperty("password", password);
        return exchange.send("PUT", RestPaths.user(username) + "/password", token, body, requestTimeout,
                RestExchange.NOTHING);
    }

    @Override
    public CompletableFuture<Void> deleteUser(String token, String username) {
        return exchange.send("DELETE", RestPaths.user(username), token, null, requestTimeout, RestExchange.NOTHING);
    }

    @Override
    public CompletableFuture<Boolean> declare(String token, Destination destination, DestinationOptions options) {
        return exchange.send("PUT", RestPaths.destination(destination), token, RestJson.options(options),
                requestTimeout, (status, json) -> status == 201);
    }

    @Override
    public CompletableFuture<DestinationInfo> describe(String token, Destination destination) {
        return exchange.send("GET", RestPaths.destination(destination), token, null, requestTimeout,
                (status, json) -> RestJson.destination(destination.type(), json.getAsJsonObject()));
    }

    @Override
    public CompletableFuture<Page<DestinationInfo>> list(String token, DestinationType type, ListRequest request) {
        String path = RestPaths.collection(type == DestinationType.QUEUE) + RestPaths.query(RestPaths.params(
                "prefix", request.prefix().orElse(null), "limit", request.limit().orElse(null),
                "cursor", request.cursor().orElse(null)));
        return exchange.send("GET", path, token, null, requestTimeout,
                (status, json) -> RestJson.destinations(type, json.getAsJsonObject()));
    }

    @Override
    public CompletableFuture<Void> delete(String token, Destination destination, DeletePolicy policy) {
        String query = RestPaths.query(policy.transferTo().isPresent()
                ? RestPaths.params("messages", "transfer", "to", policy.transferTo().get())
                : RestPaths.params("messages", "drop"));
        return exchange.send("DELETE", RestPaths.destination(destination) + query, token, null, requestTimeout,
                RestExchange.NOTHING);
    }

    @Override
    public CompletableFuture<Boolean> declareSubscription(String token, String topic, String subscription,
                                                          SubscriptionOptions options) {
        return exchange.send("PUT", RestPaths.subscription(topic, subscription), token, RestJson.options(options),
                requestTimeout, (status, json) -> status == 201);
    }

    @Override
    public CompletableFuture<List<SubscriptionInfo>> listSubscriptions(String token, String topic) {
        return exchange.send("GET", RestPaths.destination(Destination.topic(topic)) + "/subscriptions", token, null,
                requestTimeout, (status, json) -> RestJson.subscriptions(topic, json.getAsJsonObject()));
    }

    @Override
    public CompletableFuture<Void> deleteSubscription(String token, String topic, String subscription) {
        return exchange.send("DELETE", RestPaths.subscription(topic, subscription), token, null, requestTimeout,
                RestExchange.NOTHING);
    }

    @Override
    public CompletableFuture<String> publish(String token, Destination destination, OutgoingMessage message) {
        return exchange.send("POST", RestPaths.destination(destination) + "/messages", token, RestJson.message(message),
                requestTimeout, (status, json) -> {
                    List<String> ids = RestJson.ids(json.getAsJsonObject());
                    if (ids.size() != 1) {
                        throw new IllegalArgumentException("expected one id, got " + ids);
                    }
                    return ids.get(0);
                });
    }

    @Override
    public CompletableFuture<List<String>> publishBatch(String token, Destination destination,
                                                        List<OutgoingMessage> messages) {
        return exchange.send("POST", RestPaths.destination(destination) + "/messages", token, RestJson.batch(messages),
                requestTimeout, (status, json) -> {
                    List<String> ids = RestJson.ids(json.getAsJsonObject());
                    if (ids.size() != messages.size()) {
                        throw new IllegalArgumentException("expected " + messages.size() + " ids, got " + ids.size());
                    }
                    return ids;
                });
    }

    @Override
    public CompletableFuture<List<Delivery>> receive(String token, Source source, ReceiveOptions options) {
        JsonObject body = new JsonObject();
        body.addProperty("max", options.max());
        body.addProperty("waitMs", options.waitTime().toMillis());
        body.addProperty("autoAck", options.ackMode() == AckMode.AUTO);
        return exchange.send("POST", RestPaths.source(source) + "/receive", token, body,
                requestTimeout.plus(options.waitTime()), (status, json) -> RestJson.deliveries(json.getAsJsonObject()));
    }

    @Override
    public CompletableFuture<AckResult> ack(String token, Source source, List<String> receipts) {
        return exchange.send("POST", RestPaths.source(source) + "/ack", token, RestJson.strings("receipts", receipts),
                requestTimeout, (status, json) -> RestJson.ackResult(json.getAsJsonObject(), "acked"));
    }

    @Override
    public CompletableFuture<AckResult> nack(String token, Source source, List<String> receipts, NackMode mode) {
        JsonObject body = RestJson.strings("receipts", receipts);
        body.addProperty("requeue", mode == NackMode.REQUEUE);
        return exchange.send("POST", RestPaths.source(source) + "/nack", token, body, requestTimeout,
                (status, json) -> RestJson.ackResult(json.getAsJsonObject(), "nacked"));
    }

    @Override
    public PushStream openStream(String token, Source source, SubscribeOptions options) {
        String path = RestPaths.source(source) + "/stream" + RestPaths.query(RestPaths.params(
                "prefetch", options.prefetch(), "autoAck", options.ackMode() == AckMode.AUTO));
        HttpResponse<InputStream> response = exchange.openStream(path, token);
        SsePushStream stream = new SsePushStream(response.body());
        watchdog.watch(stream);
        return stream;
    }

    @Override
    public void close() {
        // The JDK 17 HttpClient has no close(); its daemon threads end once it is unreachable.
        watchdog.close();
    }

    /** Parses a response body; an empty body is an empty object. */
    static JsonElement parse(byte[] body) {
        if (body == null || body.length == 0) {
            return new JsonObject();
        }
        return JsonParser.parseString(new String(body, StandardCharsets.UTF_8));
    }

    /** A 2xx response whose body does not have the documented shape. */
    static MomClientException invalidResponse(int status, RuntimeException cause) {
        return new MomClientException(Errors.INVALID_RESPONSE, status, "invalid response: " + cause.getMessage(), cause);
    }
}
