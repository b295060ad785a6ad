package io.mom.transport.rest.internal.resources;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.mom.core.AckMode;
import io.mom.core.AckResult;
import io.mom.core.Broker;
import io.mom.core.Consumer;
import io.mom.core.ConsumerOptions;
import io.mom.core.FlowControl;
import io.mom.core.MomException;
import io.mom.core.NackMode;
import io.mom.core.ReceiveRequest;
import io.mom.core.SubscriptionRef;
import io.mom.transport.rest.RestConfig;
import io.mom.transport.rest.internal.http.Call;
import io.mom.transport.rest.internal.http.Reply;
import io.mom.transport.rest.internal.json.Fields;
import io.mom.transport.rest.internal.json.MessageJson;
import io.mom.transport.rest.internal.sse.SseChannel;
import io.mom.transport.rest.internal.sse.StreamSession;
import io.mom.transport.rest.internal.sse.Streams;
import io.mom.core.auth.Authenticator;
import io.mom.core.spi.ClusterView;
import io.undertow.server.HttpServerExchange;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * Consuming from a subscription (a queue's or a topic's): pull receive with long poll, ack, nack and
 * SSE push streams. Shared by the queue and subscription resources. Thread-safe.
 */
final class Deliveries {
    private static final Set<String> RECEIVE_FIELDS = Set.of("max", "waitMs", "autoAck");
    private static final Set<String> ACK_FIELDS = Set.of("receipts");
    private static final Set<String> NACK_FIELDS = Set.of("receipts", "requeue");
    /** Receipts accepted in one ack or nack. */
    static final int MAX_RECEIPTS = ReceiveRequest.MAX_MESSAGES * 10;

    private final Broker broker;
    private final Authenticator authenticator;
    private final Streams streams;
    private final RestConfig config;
    private final Supplier<Optional<ClusterView.Node>> redirect;

    Deliveries(Broker broker, Authenticator authenticator, Streams streams, RestConfig config,
               Supplier<Optional<ClusterView.Node>> redirect) {
        this.broker = broker;
        this.authenticator = authenticator;
        this.streams = streams;
        this.config = config;
        this.redirect = redirect;
    }

    /** A pull; the worker thread is released while it waits (the reply follows the broker's future). */
    CompletionStage<Reply> receive(Call call, SubscriptionRef ref) {
        Fields f = Fields.of(call.jsonOrEmpty(), "", RECEIVE_FIELDS);
        int max = f.optionalInt("max", 1, ReceiveRequest.MAX_MESSAGES).orElse(1);
        long waitMs = f.optionalLong("waitMs", 0, ReceiveRequest.MAX_WAIT.toMillis()).orElse(0L);
        boolean autoAck = f.optionalBoolean("autoAck").orElse(false);
        ReceiveRequest request = new ReceiveRequest(max, Duration.ofMillis(waitMs),
                autoAck ? AckMode.AUTO : AckMode.CLIENT);
        return broker.receive(call.identity(), ref, request)
                .thenApply(list -> Reply.json(200, MessageJson.deliveries(list)));
    }

    CompletionStage<Reply> ack(Call call, SubscriptionRef ref) {
        Fields f = Fields.of(call.json(), "", ACK_FIELDS);
        List<String> receipts = receipts(f);
        return broker.ack(call.identity(), ref, receipts).thenApply(r -> Reply.json(200, outcome("acked", r)));
    }

    CompletionStage<Reply> nack(Call call, SubscriptionRef ref) {
        Fields f = Fields.of(call.json(), "", NACK_FIELDS);
        List<String> receipts = receipts(f);
        NackMode mode = f.optionalBoolean("requeue").orElse(true) ? NackMode.REQUEUE : NackMode.DEAD_LETTER;
        return broker.nack(call.identity(), ref, receipts, mode).thenApply(r -> Reply.json(200, outcome("nacked", r)));
    }

    private static List<String> receipts(Fields f) {
        List<String> receipts = f.optionalStrings("receipts", MAX_RECEIPTS)
                .orElseThrow(() -> MomException.invalid("'receipts' is required"));
        if (receipts.isEmpty()) {
            throw MomException.invalid("'receipts' must not be empty");
        }
        return receipts;
    }

    private static JsonObject outcome(String countName, AckResult r) {
        JsonObject o = new JsonObject();
        o.addProperty(countName, r.applied());
        JsonArray invalid = new JsonArray(r.invalid().size());
        r.invalid().forEach(invalid::add);
        o.add("invalid", invalid);
        return o;
    }

    /**
     * Opens a push stream. The consumer is attached before the response starts, so an unknown
     * destination is still an ordinary 404. On a node above its load threshold the answer is instead a
     * {@code 307} to the same path and query on the least-loaded node (FR-22).
     */
    CompletionStage<Reply> stream(Call call, SubscriptionRef ref) {
        Optional<ClusterView.Node> target = redirect.get();
        if (target.isPresent() && !target.get().restAddress().isEmpty()) {
            HttpServerExchange ex = call.exchange();
            String query = ex.getQueryString();
            String location = ex.getRequestScheme() + "://" + target.get().restAddress() + ex.getRequestURI()
                    + (query == null || query.isEmpty() ? "" : "?" + query);
            return CompletableFuture.completedFuture(new Reply(307, "", new byte[0], Map.of("Location", location)));
        }
        int prefetch = Params.integer(call, "prefetch", 1, ConsumerOptions.MAX_PREFETCH, config.defaultPrefetch());
        boolean autoAck = Params.bool(call, "autoAck", false);
        ConsumerOptions options = autoAck
                ? new ConsumerOptions(prefetch, AckMode.AUTO, FlowControl.CREDIT)
                : new ConsumerOptions(prefetch, AckMode.CLIENT, FlowControl.WINDOW);
        String token = call.token();
        SseChannel channel = new SseChannel(call.exchange());
        StreamSession session = new StreamSession(channel, ref, autoAck, token, call.identity().username(),
                call.remoteAddress());
        Consumer consumer = broker.consume(call.identity(), ref, options, session);
        streams.add(session);
        session.attached(consumer, () -> streams.remove(session));
        channel.start(config.heartbeat(), () -> {
            try {
                authenticator.verify(token);
            } catch (MomException e) {
                session.close(); // logged out elsewhere, expired, or the user's tokens were revoked
            }
        }, session::channelEnded);
        return CompletableFuture.completedFuture(Reply.TAKEN_OVER);
    }
}
