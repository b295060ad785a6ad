package io.mom.transport.rest.internal.resources;

import io.mom.core.Broker;
import io.mom.core.auth.Authenticator;
import io.mom.core.auth.UserDirectory;
import io.mom.core.spi.ClusterView;
import io.mom.transport.rest.ClusterStatus;
import io.mom.transport.rest.MetricsSource;
import io.mom.transport.rest.RestConfig;
import io.mom.transport.rest.StatsSource;
import io.mom.transport.rest.internal.http.Router;
import io.mom.transport.rest.internal.json.MessageJson;
import io.mom.transport.rest.internal.sse.Streams;

import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Assembles every resource of the REST API into one {@link Router}. */
public final class Api {
    /** What the resources need, handed over by the server. */
    public record Parts(Broker broker, UserDirectory users, Authenticator authenticator, Streams streams,
                        RestConfig config, String nodeId, BooleanSupplier ready, MetricsSource metrics,
                        StatsSource stats, ClusterStatus cluster, Supplier<Optional<ClusterView.Node>> redirect) {
    }

    private Api() {
    }

    public static Router router(Parts p) {
        Router router = new Router();
        MessageJson messages = new MessageJson(p.config().limits());
        Deliveries deliveries = new Deliveries(p.broker(), p.authenticator(), p.streams(), p.config(),
                p.redirect());
        new AuthResource(p.authenticator(), p.streams(), p.redirect()).register(router);
        new UserResource(p.users()).register(router);
        new QueueResource(p.broker(), messages, deliveries).register(router);
        new TopicResource(p.broker(), messages).register(router);
        new SubscriptionResource(p.broker(), deliveries).register(router);
        new OpsResource(p.broker(), p.nodeId(), p.ready(), p.metrics(), p.stats(), p.cluster()).register(router);
        new DashboardResource().register(router);
        return router;
    }
}
