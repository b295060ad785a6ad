package io.mom.transport.rest;

import com.google.gson.JsonObject;
import io.mom.transport.rest.testing.HttpReply;
import io.mom.transport.rest.testing.SseEvents;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static io.mom.transport.rest.QueueApiTest.payloads;
import static io.mom.transport.rest.testing.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class StreamApiTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    /** Long enough for a wrongly sent event to arrive on loopback; a slow machine can only hide a bug. */
    private static final Duration QUIET = Duration.ofMillis(300);

    private final TestServer s = TestServer.start();
    private final String alice = s.user("alice");
    private final String bob = s.user("bob");

    @AfterEach
    void stop() {
        s.close();
    }

    @Test
    void pushesDeliveriesWithReceiptsWithinThePrefetchWindow() throws Exception {
        s.createQueue(alice, "jobs");
        try (SseEvents events = s.api.stream("/v1/queues/jobs/stream?prefetch=1", bob)) {
            assertThat(events.status()).isEqualTo(200);
            assertThat(events.contentType()).startsWith("text/event-stream");
            s.publish(alice, "/v1/queues/jobs/messages", "one");
            s.publish(alice, "/v1/queues/jobs/messages", "two");

            SseEvents.Event first = events.next(WAIT);
            assertThat(first.name()).isEqualTo("message");
            JsonObject m = first.json();
            assertThat(m.get("payload").getAsString()).isEqualTo("one");
            assertThat(m.get("sender").getAsString()).isEqualTo("alice");
            assertThat(events.next(QUIET)).as("window of 1 is full until the ack").isNull();

            HttpReply ack = s.api.post("/v1/queues/jobs/ack", bob, json("receipts", List.of(m.get("receipt").getAsString())));
            assertThat(ack.obj().get("acked").getAsInt()).isEqualTo(1);
            SseEvents.Event second = events.next(WAIT);
            assertThat(second.json().get("payload").getAsString()).isEqualTo("two");
        }
    }

    @Test
    void aClientThatDoesNotAckHoldsOnlyItsPrefetch() throws Exception {
        s.createQueue(alice, "backlog");
        try (SseEvents events = s.api.stream("/v1/queues/backlog/stream?prefetch=3", bob)) {
            s.api.post("/v1/queues/backlog/messages", alice, json("messages", java.util.Collections.nCopies(50,
                    java.util.Map.of("payload", "x"))));
            for (int i = 0; i < 3; i++) {
                assertThat(events.next(WAIT).name()).isEqualTo("message");
            }
            assertThat(events.next(QUIET)).isNull();
            JsonObject q = s.api.get("/v1/queues/backlog", alice).obj();
            assertThat(q.get("inFlight").getAsLong()).isEqualTo(3);
            assertThat(q.get("depth").getAsLong()).isEqualTo(50);
        }
    }

    @Test
    void autoAckStreamsCarryNoReceiptsAndRemoveMessages() throws Exception {
        s.createQueue(alice, "feed");
        try (SseEvents events = s.api.stream("/v1/queues/feed/stream?autoAck=true&prefetch=2", bob)) {
            s.api.post("/v1/queues/feed/messages", alice, "{\"messages\":[{\"payload\":\"a\"},{\"payload\":\"b\"},"
                    + "{\"payload\":\"c\"}]}");
            for (String expected : List.of("a", "b", "c")) {
                JsonObject m = events.next(WAIT).json();
                assertThat(m.get("payload").getAsString()).isEqualTo(expected);
                assertThat(m.has("receipt")).isFalse();
            }
            await().untilAsserted(() -> assertThat(s.api.get("/v1/queues/feed", alice).obj().get("depth").getAsLong())
                    .isZero());
        }
    }

    @Test
    void deletionSendsAFinalDeletedEventAndEndsTheStream() throws Exception {
        s.createQueue(alice, "doomed");
        try (SseEvents events = s.api.stream("/v1/queues/doomed/stream", bob)) {
            await().until(() -> s.api.get("/v1/queues/doomed", alice).obj().get("consumers").getAsInt() == 1);
            assertThat(s.api.delete("/v1/queues/doomed", alice).status()).isEqualTo(204);
            SseEvents.Event deleted = events.next(WAIT);
            assertThat(deleted.name()).isEqualTo("deleted");
            assertThat(deleted.data()).isEqualTo("{\"destination\":\"doomed\"}");
            assertThat(events.next(WAIT).name()).isEqualTo("end");
        }
    }

    @Test
    void logoutClosesTheStreamsOfItsToken() throws Exception {
        s.createQueue(alice, "jobs");
        String session = s.api.login("bob", "bob-pw");
        try (SseEvents events = s.api.stream("/v1/queues/jobs/stream", session);
             SseEvents other = s.api.stream("/v1/queues/jobs/stream", bob)) {
            await().until(() -> s.rest.openStreams() == 2);
            assertThat(s.api.post("/v1/auth/logout", session, null).status()).isEqualTo(204);
            assertThat(events.next(WAIT).name()).isEqualTo("end");
            assertThat(s.rest.openStreams()).isEqualTo(1);
            s.publish(alice, "/v1/queues/jobs/messages", "still-served");
            assertThat(other.next(WAIT).json().get("payload").getAsString()).isEqualTo("still-served");
        }
    }

    @Test
    void streamsEndWhenTheirTokenExpires() throws Exception {
        s.createQueue(alice, "jobs");
        try (SseEvents events = s.api.stream("/v1/queues/jobs/stream", bob)) {
            await().until(() -> s.rest.openStreams() == 1);
            s.authTime.advance(Duration.ofHours(2));
            assertThat(events.next(WAIT).name()).isEqualTo("end");
        }
    }

    @Test
    void heartbeatsAreCommentLines() throws Exception {
        s.createQueue(alice, "quiet");
        try (SseEvents events = s.api.stream("/v1/queues/quiet/stream", bob)) {
            SseEvents.Event e;
            do {
                e = events.nextIncludingComments(WAIT);
            } while (e != null && !"ping".equals(e.data()));
            assertThat(e).isNotNull();
            assertThat(e.name()).isEqualTo("comment");
        }
    }

    @Test
    void disconnectedClientsReleaseTheirUnackedDeliveries() throws Exception {
        s.createQueue(alice, "jobs");
        SseEvents events = s.api.stream("/v1/queues/jobs/stream", bob);
        s.publish(alice, "/v1/queues/jobs/messages", "retry-me");
        assertThat(events.next(WAIT).json().get("payload").getAsString()).isEqualTo("retry-me");
        events.close();
        await().atMost(WAIT).until(() -> s.api.get("/v1/queues/jobs", alice).obj().get("consumers").getAsInt() == 0);
        HttpReply again = s.api.post("/v1/queues/jobs/receive", alice, json("waitMs", 5000));
        assertThat(payloads(again)).containsExactly("retry-me");
        assertThat(again.array("messages").get(0).getAsJsonObject().get("deliveryCount").getAsInt()).isEqualTo(2);
    }

    @Test
    void subscriptionStreamsFanOutAndEndOnUnsubscribe() throws Exception {
        s.createTopic(alice, "news");
        s.api.put("/v1/topics/news/subscriptions/s1", bob, null);
        s.api.put("/v1/topics/news/subscriptions/s2", bob, null);
        try (SseEvents one = s.api.stream("/v1/topics/news/subscriptions/s1/stream?autoAck=true", bob);
             SseEvents two = s.api.stream("/v1/topics/news/subscriptions/s2/stream", bob)) {
            await().until(() -> s.rest.openStreams() == 2);
            s.publish(alice, "/v1/topics/news/messages", "hello");
            assertThat(one.next(WAIT).json().get("payload").getAsString()).isEqualTo("hello");
            assertThat(two.next(WAIT).json().get("payload").getAsString()).isEqualTo("hello");
            assertThat(s.api.delete("/v1/topics/news/subscriptions/s2", bob).status()).isEqualTo(204);
            SseEvents.Event deleted = two.next(WAIT);
            assertThat(deleted.name()).isEqualTo("deleted");
            assertThat(deleted.data()).isEqualTo("{\"destination\":\"news\"}");
            assertThat(two.next(WAIT).name()).isEqualTo("end");
        }
    }

    @Test
    void streamsOfUnknownDestinationsAre404() {
        try (SseEvents events = s.api.stream("/v1/queues/nope/stream", bob)) {
            assertThat(events.status()).isEqualTo(404);
            assertThat(events.contentType()).startsWith("application/problem+json");
        }
        try (SseEvents events = s.api.stream("/v1/topics/nope/subscriptions/s/stream", bob)) {
            assertThat(events.status()).isEqualTo(404);
        }
    }
}
