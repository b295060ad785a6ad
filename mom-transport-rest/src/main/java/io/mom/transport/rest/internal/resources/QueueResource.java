package io.mom.transport.rest.internal.resources;

import io.mom.core.Broker;
import io.mom.core.Declared;
import io.mom.core.DestinationInfo;
import io.mom.core.DestinationRef;
import io.mom.core.DestinationType;
import io.mom.core.OutgoingMessage;
import io.mom.core.SubscriptionRef;
import io.mom.transport.rest.internal.http.Call;
import io.mom.transport.rest.internal.http.Reply;
import io.mom.transport.rest.internal.http.Router;
import io.mom.transport.rest.internal.json.DestinationJson;
import io.mom.transport.rest.internal.json.MessageJson;

import java.util.List;
import java.util.concurrent.CompletionStage;

import static io.mom.transport.rest.internal.resources.AuthResource.done;

/** {@code /v1/queues}: declare, list, describe, delete, publish and consume. Thread-safe. */
final class QueueResource {
    private final Broker broker;
    private final MessageJson messages;
    private final Deliveries deliveries;

    QueueResource(Broker broker, MessageJson messages, Deliveries deliveries) {
        this.broker = broker;
        this.messages = messages;
        this.deliveries = deliveries;
    }

    void register(Router router) {
        Router.Access user = Router.Access.USER;
        router.add("PUT", "/v1/queues/{name}", user, this::declare);
        router.add("GET", "/v1/queues", user, c -> list(broker, c, DestinationType.QUEUE), "prefix", "limit", "cursor");
        router.add("GET", "/v1/queues/{name}", user, this::describe);
        router.add("DELETE", "/v1/queues/{name}", user, this::delete, "messages", "to");
        router.add("POST", "/v1/queues/{name}/messages", user, this::publish);
        router.add("POST", "/v1/queues/{name}/receive", user, c -> deliveries.receive(c, ref(c)));
        router.add("POST", "/v1/queues/{name}/ack", user, c -> deliveries.ack(c, ref(c)));
        router.add("POST", "/v1/queues/{name}/nack", user, c -> deliveries.nack(c, ref(c)));
        router.add("GET", "/v1/queues/{name}/stream", user, c -> deliveries.stream(c, ref(c)), "prefetch", "autoAck");
    }

    private static SubscriptionRef ref(Call call) {
        return SubscriptionRef.queue(call.path("name"));
    }

    private CompletionStage<Reply> declare(Call call) {
        DestinationRef ref = DestinationRef.queue(call.path("name"));
        return declare(broker, call, ref, "/v1/queues/");
    }

    static CompletionStage<Reply> declare(Broker broker, Call call, DestinationRef ref, String base) {
        var options = DestinationJson.options(call.jsonOrEmpty());
        Declared<DestinationInfo> d = broker.declare(call.identity(), ref, options);
        Reply reply = Reply.json(d.created() ? 201 : 200, DestinationJson.detail(d.value()));
        return done(d.created() ? reply.withHeader("Location", base + ref.name()) : reply);
    }

    static CompletionStage<Reply> list(Broker broker, Call call, DestinationType type) {
        String prefix = call.query("prefix").orElse("");
        int limit = Params.integer(call, "limit", 1, 1000, 100);
        String cursor = call.query("cursor").orElse("");
        return done(Reply.json(200, DestinationJson.page(broker.list(type, prefix, limit, cursor))));
    }

    private CompletionStage<Reply> describe(Call call) {
        return done(Reply.json(200, DestinationJson.detail(broker.describe(DestinationRef.queue(call.path("name"))))));
    }

    private CompletionStage<Reply> delete(Call call) {
        DestinationRef ref = DestinationRef.queue(call.path("name"));
        return broker.delete(call.identity(), ref, Params.deletePolicy(call, broker)).thenApply(v -> Reply.noContent());
    }

    private CompletionStage<Reply> publish(Call call) {
        return publish(broker, messages, call, DestinationRef.queue(call.path("name")));
    }

    /** Publishes one message or a batch; answers 201 once all are durable. */
    static CompletionStage<Reply> publish(Broker broker, MessageJson messages, Call call, DestinationRef ref) {
        List<OutgoingMessage> batch = messages.publishBody(call.json());
        return broker.publishAll(call.identity(), ref, batch).thenApply(results -> Reply.json(201,
                MessageJson.ids(results.stream().map(r -> r.id()).toList())));
    }
}
