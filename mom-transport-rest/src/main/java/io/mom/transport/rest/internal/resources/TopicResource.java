package io.mom.transport.rest.internal.resources;

import io.mom.core.Broker;
import io.mom.core.DestinationRef;
import io.mom.core.DestinationType;
import io.mom.transport.rest.internal.http.Call;
import io.mom.transport.rest.internal.http.Reply;
import io.mom.transport.rest.internal.http.Router;
import io.mom.transport.rest.internal.json.DestinationJson;
import io.mom.transport.rest.internal.json.MessageJson;

import java.util.concurrent.CompletionStage;

import static io.mom.transport.rest.internal.resources.AuthResource.done;

/** {@code /v1/topics}: declare, list, describe, delete and publish. Thread-safe. */
final class TopicResource {
    private final Broker broker;
    private final MessageJson messages;

    TopicResource(Broker broker, MessageJson messages) {
        this.broker = broker;
        this.messages = messages;
    }

    void register(Router router) {
        Router.Access user = Router.Access.USER;
        router.add("PUT", "/v1/topics/{name}", user,
                c -> QueueResource.declare(broker, c, topic(c), "/v1/topics/"));
        router.add("GET", "/v1/topics", user, c -> QueueResource.list(broker, c, DestinationType.TOPIC),
                "prefix", "limit", "cursor");
        router.add("GET", "/v1/topics/{name}", user,
                c -> done(Reply.json(200, DestinationJson.detail(broker.describe(topic(c))))));
        router.add("DELETE", "/v1/topics/{name}", user, this::delete, "messages", "to");
        router.add("POST", "/v1/topics/{name}/messages", user,
                c -> QueueResource.publish(broker, messages, c, topic(c)));
    }

    private static DestinationRef topic(Call call) {
        return DestinationRef.topic(call.path("name"));
    }

    private CompletionStage<Reply> delete(Call call) {
        DestinationRef ref = topic(call);
        return broker.delete(call.identity(), ref, Params.deletePolicy(call, broker)).thenApply(v -> Reply.noContent());
    }
}
