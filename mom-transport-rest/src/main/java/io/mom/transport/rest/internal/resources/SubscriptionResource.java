package io.mom.transport.rest.internal.resources;

import io.mom.core.Broker;
import io.mom.core.Declared;
import io.mom.core.DestinationRef;
import io.mom.core.SubscriptionInfo;
import io.mom.core.SubscriptionRef;
import io.mom.transport.rest.internal.http.Call;
import io.mom.transport.rest.internal.http.Reply;
import io.mom.transport.rest.internal.http.Router;
import io.mom.transport.rest.internal.json.DestinationJson;

import java.util.concurrent.CompletionStage;

import static io.mom.transport.rest.internal.resources.AuthResource.done;

/** {@code /v1/topics/{name}/subscriptions}: subscribe, list, unsubscribe and consume. Thread-safe. */
final class SubscriptionResource {
    private static final String BASE = "/v1/topics/{name}/subscriptions";

    private final Broker broker;
    private final Deliveries deliveries;

    SubscriptionResource(Broker broker, Deliveries deliveries) {
        this.broker = broker;
        this.deliveries = deliveries;
    }

    void register(Router router) {
        Router.Access user = Router.Access.USER;
        router.add("PUT", BASE + "/{sub}", user, this::subscribe);
        router.add("GET", BASE, user, this::list);
        router.add("DELETE", BASE + "/{sub}", user, this::unsubscribe);
        router.add("POST", BASE + "/{sub}/receive", user, c -> deliveries.receive(c, ref(c)));
        router.add("POST", BASE + "/{sub}/ack", user, c -> deliveries.ack(c, ref(c)));
        router.add("POST", BASE + "/{sub}/nack", user, c -> deliveries.nack(c, ref(c)));
        router.add("GET", BASE + "/{sub}/stream", user, c -> deliveries.stream(c, ref(c)), "prefetch", "autoAck");
    }

    private static SubscriptionRef ref(Call call) {
        return SubscriptionRef.topic(call.path("name"), call.path("sub"));
    }

    private CompletionStage<Reply> subscribe(Call call) {
        SubscriptionRef ref = ref(call);
        var options = DestinationJson.subscriptionOptions(call.jsonOrEmpty());
        Declared<SubscriptionInfo> d = broker.subscribe(call.identity(), ref, options);
        return done(Reply.json(d.created() ? 201 : 200, DestinationJson.subscription(d.value())));
    }

    private CompletionStage<Reply> list(Call call) {
        DestinationRef topic = DestinationRef.topic(call.path("name"));
        return done(Reply.json(200, DestinationJson.subscriptions(broker.subscriptions(topic))));
    }

    private CompletionStage<Reply> unsubscribe(Call call) {
        broker.unsubscribe(call.identity(), ref(call));
        return done(Reply.noContent());
    }
}
