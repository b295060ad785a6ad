package io.mom.transport.rest.internal.resources;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.mom.core.Broker;
import io.mom.core.DestinationInfo;
import io.mom.core.DestinationType;
import io.mom.core.Page;
import io.mom.transport.rest.ClusterStatus;
import io.mom.transport.rest.MetricsSource;
import io.mom.transport.rest.StatsSource;
import io.mom.transport.rest.internal.http.Call;
import io.mom.transport.rest.internal.http.Reply;
import io.mom.transport.rest.internal.http.Router;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.concurrent.CompletionStage;

import static io.mom.transport.rest.internal.resources.AuthResource.done;

/**
 * Operations: health, Prometheus metrics, cluster view, statistics and the OpenAPI document (the
 * dashboard is {@link DashboardResource}). Thread-safe.
 */
final class OpsResource {
    static final String OPENAPI = "/io/mom/transport/rest/openapi.json";

    private final Broker broker;
    private final String nodeId;
    private final BooleanSupplier ready;
    private final MetricsSource metrics;
    private final StatsSource stats;
    private final ClusterStatus cluster;
    private final byte[] openApi;

    OpsResource(Broker broker, String nodeId, BooleanSupplier ready, MetricsSource metrics, StatsSource stats,
                ClusterStatus cluster) {
        this.broker = broker;
        this.nodeId = nodeId;
        this.ready = ready;
        this.metrics = metrics;
        this.stats = stats;
        this.cluster = cluster;
        this.openApi = resource(OPENAPI);
    }

    void register(Router router) {
        router.add("GET", "/healthz", Router.Access.PUBLIC, this::health);
        router.add("GET", "/metrics", Router.Access.PUBLIC, this::metrics);
        router.add("GET", "/v1/cluster", Router.Access.USER, this::cluster);
        router.add("GET", "/v1/stats", Router.Access.ADMIN, this::stats);
        router.add("GET", "/v1/openapi.json", Router.Access.PUBLIC,
                c -> done(Reply.bytes(200, Reply.JSON, openApi)));
    }

    private CompletionStage<Reply> health(Call call) {
        JsonObject o = new JsonObject();
        if (ready.getAsBoolean()) {
            o.addProperty("status", "UP");
            o.addProperty("node", nodeId);
            return done(Reply.json(200, o));
        }
        o.addProperty("status", "STARTING");
        return done(Reply.json(503, o));
    }

    private CompletionStage<Reply> metrics(Call call) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
        try {
            metrics.writeTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return done(Reply.bytes(200, metrics.contentType(), out.toByteArray()));
    }

    private CompletionStage<Reply> cluster(Call call) {
        ClusterStatus.Snapshot s = cluster.snapshot();
        JsonArray nodes = new JsonArray();
        for (ClusterStatus.Node n : s.nodes()) {
            JsonObject o = new JsonObject();
            o.addProperty("id", n.id());
            o.addProperty("restAddress", n.restAddress());
            o.addProperty("grpcAddress", n.grpcAddress());
            o.addProperty("alive", n.alive());
            o.addProperty("load", n.load());
            nodes.add(o);
        }
        JsonArray placements = new JsonArray();
        for (ClusterStatus.Placement p : s.placements()) {
            JsonObject o = new JsonObject();
            o.addProperty("destination", p.destination());
            o.addProperty("partition", p.partition());
            o.addProperty("leader", p.leader());
            JsonArray replicas = new JsonArray();
            p.replicas().forEach(replicas::add);
            o.add("replicas", replicas);
            o.addProperty("epoch", p.epoch());
            placements.add(o);
        }
        JsonObject o = new JsonObject();
        o.add("nodes", nodes);
        o.addProperty("controller", s.controller());
        o.add("placements", placements);
        return done(Reply.json(200, o));
    }

    private CompletionStage<Reply> stats(Call call) {
        JsonArray destinations = new JsonArray();
        long depth = 0;
        long inFlight = 0;
        long consumers = 0;
        int queues = 0;
        int topics = 0;
        for (DestinationType type : DestinationType.values()) {
            for (DestinationInfo d : all(type)) {
                JsonObject o = new JsonObject();
                o.addProperty("type", type.name().toLowerCase(Locale.ROOT));
                o.addProperty("name", d.ref().name());
                o.addProperty("owner", d.owner());
                o.addProperty("partitions", d.options().partitions());
                o.addProperty("depth", d.depth());
                o.addProperty("inFlight", d.inFlight());
                o.addProperty("consumers", d.consumers());
                o.addProperty("subscriptions", d.subscriptions());
                o.addProperty("deadLetter", d.ref().name().endsWith(".dlq"));
                o.add("rates", rates(stats.destinationRates(d.ref().name())));
                o.add("counts", counts(stats.destinationCounts(d.ref().name())));
                destinations.add(o);
                depth += d.depth();
                inFlight += d.inFlight();
                consumers += d.consumers();
                if (type == DestinationType.QUEUE) {
                    queues++;
                } else {
                    topics++;
                }
            }
        }
        JsonObject totals = new JsonObject();
        totals.addProperty("queues", queues);
        totals.addProperty("topics", topics);
        totals.addProperty("depth", depth);
        totals.addProperty("inFlight", inFlight);
        totals.addProperty("consumers", consumers);
        JsonObject node = new JsonObject();
        node.addProperty("id", nodeId);
        node.add("rates", rates(stats.nodeRates()));
        node.add("counts", counts(stats.nodeCounts()));
        JsonObject o = new JsonObject();
        o.add("node", node);
        o.add("nodes", nodes(cluster.snapshot()));
        o.add("totals", totals);
        o.add("destinations", destinations);
        return done(Reply.json(200, o));
    }

    private java.util.List<DestinationInfo> all(DestinationType type) {
        java.util.List<DestinationInfo> out = new java.util.ArrayList<>();
        String cursor = "";
        while (true) {
            Page<DestinationInfo> page = broker.list(type, "", 1000, cursor);
            out.addAll(page.items());
            if (page.next().isEmpty()) {
                return out;
            }
            cursor = page.next().get();
        }
    }

    /** Every node of the cluster view with its liveness, load and role. */
    private static JsonArray nodes(ClusterStatus.Snapshot s) {
        JsonArray nodes = new JsonArray();
        for (ClusterStatus.Node n : s.nodes()) {
            JsonObject o = new JsonObject();
            o.addProperty("id", n.id());
            o.addProperty("alive", n.alive());
            o.addProperty("load", n.load());
            o.addProperty("role", n.id().equals(s.controller()) ? "controller" : "member");
            o.addProperty("restAddress", n.restAddress());
            nodes.add(o);
        }
        return nodes;
    }

    private static JsonObject counts(Map<String, Long> counts) {
        JsonObject o = new JsonObject();
        counts.forEach(o::addProperty);
        return o;
    }

    private static JsonObject rates(Map<String, Double> rates) {
        JsonObject o = new JsonObject();
        new java.util.TreeMap<>(rates).forEach(o::addProperty);
        return o;
    }

    private static byte[] resource(String name) {
        try (InputStream in = OpsResource.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
