package io.mom.transport.rest;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.mom.core.Broker;
import io.mom.transport.rest.testing.ApiClient;
import io.mom.transport.rest.testing.HttpReply;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static io.mom.transport.rest.testing.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

class OpsApiTest {

    /** Every method and path of API.md. */
    static final List<String> CONTRACT = List.of(
            "POST /v1/auth/login", "POST /v1/auth/logout", "GET /v1/auth/me",
            "POST /v1/users", "GET /v1/users", "PUT /v1/users/{username}/password", "DELETE /v1/users/{username}",
            "PUT /v1/queues/{name}", "GET /v1/queues", "GET /v1/queues/{name}", "DELETE /v1/queues/{name}",
            "POST /v1/queues/{name}/messages", "POST /v1/queues/{name}/receive", "POST /v1/queues/{name}/ack",
            "POST /v1/queues/{name}/nack", "GET /v1/queues/{name}/stream",
            "PUT /v1/topics/{name}", "GET /v1/topics", "GET /v1/topics/{name}", "DELETE /v1/topics/{name}",
            "POST /v1/topics/{name}/messages", "PUT /v1/topics/{name}/subscriptions/{sub}",
            "GET /v1/topics/{name}/subscriptions", "DELETE /v1/topics/{name}/subscriptions/{sub}",
            "POST /v1/topics/{name}/subscriptions/{sub}/receive", "POST /v1/topics/{name}/subscriptions/{sub}/ack",
            "POST /v1/topics/{name}/subscriptions/{sub}/nack", "GET /v1/topics/{name}/subscriptions/{sub}/stream",
            "GET /healthz", "GET /metrics", "GET /v1/cluster", "GET /v1/stats", "GET /ui/", "GET /v1/openapi.json");

    @Test
    void healthIs503UntilTheBrokerHasStartedThen200WithTheNode() {
        try (TestServer s = TestServer.withoutBroker()) {
            HttpReply starting = s.api.get("/healthz", null);
            assertThat(starting.status()).isEqualTo(503);
            assertThat(starting.json().toString()).isEqualTo("{\"status\":\"STARTING\"}");
            HttpReply early = s.api.post("/v1/auth/login", null, json("username", "admin", "password",
                    TestServer.ADMIN_PASSWORD));
            String token = early.str("token");
            assertThat(s.api.get("/v1/queues", token).code()).isEqualTo("UNAVAILABLE");

            s.broker.start();
            HttpReply up = s.api.get("/healthz", null);
            assertThat(up.status()).isEqualTo(200);
            assertThat(up.json().toString()).isEqualTo("{\"status\":\"UP\",\"node\":\"test-node\"}");
        }
    }

    @Test
    void openApiDocumentDescribesExactlyTheContractPaths() throws Exception {
        try (TestServer s = TestServer.start()) {
            HttpReply r = s.api.get("/v1/openapi.json", null);
            assertThat(r.status()).isEqualTo(200);
            JsonObject doc = r.obj();
            assertThat(doc.get("openapi").getAsString()).startsWith("3.");
            Set<String> documented = new TreeSet<>();
            for (Map.Entry<String, com.google.gson.JsonElement> p : doc.getAsJsonObject("paths").entrySet()) {
                for (String method : p.getValue().getAsJsonObject().keySet()) {
                    documented.add(method.toUpperCase() + " " + p.getKey());
                }
            }
            assertThat(documented).containsExactlyInAnyOrderElementsOf(CONTRACT);
            try (InputStream in = RestServer.class.getResourceAsStream("/io/mom/transport/rest/openapi.json")) {
                assertThat(JsonParser.parseString(new String(in.readAllBytes(), StandardCharsets.UTF_8)))
                        .isEqualTo(doc);
            }
        }
    }

    @Test
    void everyContractRouteIsServed() {
        try (TestServer s = TestServer.start()) {
            for (String route : CONTRACT) {
                String[] parts = route.split(" ");
                String path = parts[1].replace("{name}", "x").replace("{sub}", "s").replace("{username}", "u");
                if (path.endsWith("/stream") || path.equals("/v1/auth/logout")) {
                    continue; // covered by their own tests; they would end the admin session or stay open
                }
                HttpReply r = s.api.send(parts[0], path, s.adminToken, parts[0].equals("GET") ? null : "{}");
                assertThat(r.status()).as(route + " -> " + r).isNotIn(405, 500);
                if (r.status() == 404) {
                    assertThat(r.code()).as(route).isEqualTo("NOT_FOUND");
                    assertThat(r.obj().get("detail").getAsString()).as(route).isNotEqualTo("resource not found");
                }
            }
        }
    }

    @Test
    void clusterShowsThisNodeLeadingEveryPartition() {
        try (TestServer s = TestServer.start()) {
            s.api.put("/v1/queues/wide", s.adminToken, json("partitions", 2));
            HttpReply r = s.api.get("/v1/cluster", s.adminToken);
            assertThat(r.status()).isEqualTo(200);
            JsonObject c = r.obj();
            assertThat(c.get("controller").getAsString()).isEqualTo("test-node");
            JsonObject node = c.getAsJsonArray("nodes").get(0).getAsJsonObject();
            assertThat(node.get("id").getAsString()).isEqualTo("test-node");
            assertThat(node.get("alive").getAsBoolean()).isTrue();
            assertThat(node.get("restAddress").getAsString()).isEqualTo(s.rest.baseUrl());
            assertThat(c.getAsJsonArray("placements")).hasSize(2);
            JsonObject p = c.getAsJsonArray("placements").get(1).getAsJsonObject();
            assertThat(p.get("destination").getAsString()).isEqualTo("wide");
            assertThat(p.get("partition").getAsInt()).isEqualTo(1);
            assertThat(p.get("leader").getAsString()).isEqualTo("test-node");
            assertThat(s.api.get("/v1/cluster", null).status()).isEqualTo(401);
        }
    }

    @Test
    void statsShowDepthsAndConsumersToAdminsOnly() {
        try (TestServer s = TestServer.start()) {
            String alice = s.user("alice");
            s.createQueue(alice, "orders");
            s.publish(alice, "/v1/queues/orders/messages", "m");
            s.createTopic(alice, "news");
            HttpReply r = s.api.get("/v1/stats", s.adminToken);
            assertThat(r.status()).isEqualTo(200);
            JsonObject orders = r.array("destinations").get(0).getAsJsonObject();
            assertThat(orders.get("name").getAsString()).isEqualTo("orders");
            assertThat(orders.get("depth").getAsLong()).isEqualTo(1);
            assertThat(r.obj().getAsJsonObject("totals").get("queues").getAsInt()).isEqualTo(1);
            assertThat(r.obj().getAsJsonObject("totals").get("topics").getAsInt()).isEqualTo(1);
            assertThat(r.obj().getAsJsonObject("node").get("id").getAsString()).isEqualTo("test-node");
            assertThat(s.api.get("/v1/stats", alice).code()).isEqualTo("FORBIDDEN");
        }
    }

    @Test
    void metricsComeFromTheConfiguredSourceWithoutAToken() {
        Broker broker = Broker.builder().build().start();
        MetricsSource source = new MetricsSource() {
            @Override
            public String contentType() {
                return "text/plain; version=0.0.4; charset=utf-8";
            }

            @Override
            public void writeTo(java.io.OutputStream out) throws java.io.IOException {
                out.write("mom_up 1\n".getBytes(StandardCharsets.UTF_8));
            }
        };
        try (RestServer rest = minimal(broker).metrics(source).build().start()) {
            HttpReply r = new ApiClient(rest.baseUrl()).get("/metrics", null);
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.contentType()).startsWith("text/plain");
            assertThat(r.body()).isEqualTo("mom_up 1\n");
        } finally {
            broker.close();
        }
    }

    @Test
    void unexpectedFailuresAreAGeneric500WithoutDetails() {
        Broker broker = Broker.builder().build().start();
        MetricsSource broken = new MetricsSource() {
            @Override
            public String contentType() {
                return "text/plain";
            }

            @Override
            public void writeTo(java.io.OutputStream out) {
                throw new IllegalStateException("secret internal state 42");
            }
        };
        try (RestServer rest = minimal(broker).metrics(broken).build().start()) {
            HttpReply r = new ApiClient(rest.baseUrl()).get("/metrics", null);
            assertThat(r.status()).isEqualTo(500);
            assertThat(r.code()).isEqualTo("INTERNAL");
            assertThat(r.body()).doesNotContain("secret").doesNotContain("IllegalState").doesNotContain("at io.");
        } finally {
            broker.close();
        }
    }

    @Test
    void dashboardIsServedAsHtml() {
        try (TestServer s = TestServer.start()) {
            HttpReply r = s.api.get("/ui/", null);
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.contentType()).startsWith("text/html");
            assertThat(r.body()).contains("<html").contains("app.js");
            assertThat(r.headers().firstValue("Content-Security-Policy").orElse(""))
                    .contains("default-src 'none'").contains("connect-src 'self'");
            for (String file : List.of("app.js", "api.js", "charts.js")) {
                HttpReply js = s.api.get("/ui/" + file, null);
                assertThat(js.status()).as(file).isEqualTo(200);
                assertThat(js.contentType()).startsWith("text/javascript");
            }
            assertThat(s.api.get("/ui/app.css", null).contentType()).startsWith("text/css");
            assertThat(s.api.get("/ui/secrets.txt", null).status()).isEqualTo(404);
            assertThat(s.api.get("/ui/..%2Fopenapi.json", null).status()).isEqualTo(404);
        }
    }

    @Test
    void accessLogHasOneLinePerRequestWithoutTheToken() {
        Logger accessLog = (Logger) LoggerFactory.getLogger("io.mom.access");
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        accessLog.addAppender(lines);
        try (TestServer s = TestServer.start()) {
            String alice = s.user("alice");
            s.api.get("/v1/queues/missing", alice);
            // The line is written when the exchange completes, which may be just after the client has the answer.
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> lines.list.stream()
                    .anyMatch(e -> e.getFormattedMessage().contains("path=/v1/queues/missing")));
            List<String> all = lines.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
            assertThat(all.stream().filter(l -> l.contains("path=/v1/queues/missing"))).singleElement()
                    .satisfies(line -> assertThat(line).contains("method=GET", "status=404", "code=NOT_FOUND", "user=alice",
                            "ms="));
            assertThat(all).allSatisfy(line -> assertThat(line).doesNotContain(alice));
        } finally {
            accessLog.detachAppender(lines);
        }
    }

    private static RestServer.Builder minimal(Broker broker) {
        io.mom.core.memory.InMemoryUserStore store = new io.mom.core.memory.InMemoryUserStore();
        io.mom.core.auth.Users users = new io.mom.core.auth.Users(store, new io.mom.core.auth.PasswordHasher(1000),
                java.time.Clock.systemUTC());
        return RestServer.builder().broker(broker).users(users)
                .authenticator(new io.mom.transport.rest.auth.JwtAuthenticator(users, store, TestServer.SECRET,
                        Duration.ofHours(1), java.time.Clock.systemUTC()))
                .config(RestConfig.builder().port(0).build());
    }
}
