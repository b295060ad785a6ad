package io.mom.server.observability;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import io.mom.transport.rest.testing.HttpReply;
import io.mom.transport.rest.testing.SseEvents;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.mom.transport.rest.testing.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The log of a working session (FR-23): one {@code key=value} line per event for logins, connections,
 * streams, consumers, destinations, subscriptions, dead-lettering and errors with their code; and never
 * a password, a token or a payload, even with every logger at DEBUG.
 */
class LogLinesTest {
    private static final String PAYLOAD = "payload-TOP-SECRET-7f3a";
    private static final String WRONG_PASSWORD = "wrong-Password-9c1e";
    private static final String BOB_PASSWORD = "bob-Password-5d2b";

    @TempDir
    Path dataDir;

    private final Logger root = (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
    private final Logger mom = (Logger) LoggerFactory.getLogger("io.mom");
    private final ListAppender<ILoggingEvent> captured = new ListAppender<>();
    private Level rootLevel;
    private Level momLevel;

    @BeforeEach
    void captureEverything() {
        rootLevel = root.getLevel();
        momLevel = mom.getLevel();
        root.setLevel(Level.DEBUG);
        mom.setLevel(Level.TRACE);
        captured.start();
        root.addAppender(captured);
    }

    @AfterEach
    void restore() {
        root.detachAppender(captured);
        root.setLevel(rootLevel);
        mom.setLevel(momLevel);
    }

    private List<String> lines() {
        List<String> out = new ArrayList<>();
        synchronized (captured.list) {
            for (ILoggingEvent e : List.copyOf(captured.list)) {
                StringBuilder line = new StringBuilder(e.getFormattedMessage());
                line.append(' ').append(e.getMDCPropertyMap());
                IThrowableProxy t = e.getThrowableProxy();
                if (t != null) {
                    line.append(' ').append(ThrowableProxyUtil.asString(t));
                }
                out.add(line.toString());
            }
        }
        return out;
    }

    private boolean logged(String... parts) {
        return lines().stream().anyMatch(l -> List.of(parts).stream().allMatch(l::contains));
    }

    @Test
    void aSessionLogsEachEventOnceAsKeyValuesAndNoSecretOrPayload() throws Exception {
        List<String> tokens = new ArrayList<>();
        try (RunningServer s = RunningServer.start(dataDir)) {
            assertThat(s.api.post("/v1/auth/login", null, json("username", "admin", "password", WRONG_PASSWORD))
                    .status()).isEqualTo(401);
            String admin = s.admin();
            tokens.add(admin);
            s.api.post("/v1/users", admin, json("username", "bob", "password", BOB_PASSWORD, "roles", List.of()));
            String bob = s.api.login("bob", BOB_PASSWORD);
            tokens.add(bob);

            s.api.put("/v1/queues/jobs", bob, json("maxDeliveries", 1));
            s.api.post("/v1/queues/jobs/messages", bob, json("payload", PAYLOAD, "headers", Map.of("k", "v")));
            HttpReply got = s.api.post("/v1/queues/jobs/receive", bob, json("max", 1, "waitMs", 1000));
            String receipt = got.array("messages").get(0).getAsJsonObject().get("receipt").getAsString();
            s.api.post("/v1/queues/jobs/nack", bob, json("receipts", List.of(receipt), "requeue", true));

            try (SseEvents stream = s.api.stream("/v1/queues/jobs.dlq/stream?autoAck=true", bob)) {
                assertThat(stream.next(Duration.ofSeconds(10)).data()).contains(PAYLOAD);
            }
            s.api.put("/v1/topics/news", bob, null);
            s.api.put("/v1/topics/news/subscriptions/reader", bob, null);
            assertThat(s.api.get("/v1/queues/nothing-here", bob).status()).isEqualTo(404);
            s.api.delete("/v1/queues/jobs", bob);
            s.api.post("/v1/auth/logout", bob, null);

            await().atMost(Duration.ofSeconds(10)).until(() -> logged("event=stream_closed", "jobs.dlq"));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> logged("event=connection_closed"));

        assertThat(logged("event=login", "user=admin", "outcome=failure")).isTrue();
        assertThat(logged("event=login", "user=bob", "outcome=success")).isTrue();
        assertThat(logged("event=user_created", "user=bob")).isTrue();
        assertThat(logged("event=connection_opened", "transport=http", "remote=127.0.0.1:")).isTrue();
        assertThat(logged("event=connection_closed", "requests=")).isTrue();
        assertThat(logged("event=destination_created", "queue:jobs", "owner=bob")).isTrue();
        assertThat(logged("event=dead_lettered", "queue:jobs", "dlq=jobs.dlq", "count=1")).isTrue();
        assertThat(logged("event=stream_opened", "transport=sse", "jobs.dlq", "user=bob")).isTrue();
        assertThat(logged("event=stream_closed", "transport=sse", "jobs.dlq", "reason=", "deliveries=1")).isTrue();
        assertThat(logged("event=consumer_attached", "jobs.dlq")).isTrue();
        assertThat(logged("event=consumer_detached", "jobs.dlq")).isTrue();
        assertThat(logged("event=subscription_created", "news", "reader")).isTrue();
        assertThat(logged("event=destination_deleted", "queue:jobs", "by=bob")).isTrue();
        assertThat(logged("path=/v1/queues/nothing-here", "status=404", "code=NOT_FOUND")).isTrue();
        assertThat(logged("event=logout", "user=bob")).isTrue();

        List<String> all = lines();
        assertThat(all).hasSizeGreaterThan(20);
        for (String secret : List.of(RunningServer.ADMIN_PASSWORD, WRONG_PASSWORD, BOB_PASSWORD, PAYLOAD)) {
            assertThat(all).as("log lines containing a secret or the payload")
                    .noneMatch(l -> l.contains(secret));
        }
        for (String token : tokens) {
            // A JWT's parts are long enough that any of them showing up would be a leak.
            for (String part : token.split("\\.")) {
                assertThat(all).noneMatch(l -> l.contains(part));
            }
        }
    }
}
