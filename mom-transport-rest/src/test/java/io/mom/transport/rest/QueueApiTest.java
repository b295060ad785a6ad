package io.mom.transport.rest;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.mom.transport.rest.testing.HttpReply;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static io.mom.transport.rest.testing.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class QueueApiTest {
    private final TestServer s = TestServer.start();
    private final String alice = s.user("alice");
    private final String bob = s.user("bob");

    @AfterEach
    void stop() {
        s.close();
    }

    @Test
    void declareIsIdempotentForTheSameOwnerAndOptions() {
        HttpReply created = s.api.put("/v1/queues/orders", alice, json("partitions", 2, "ackTimeoutMs", 5000));
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.headers().firstValue("location")).contains("/v1/queues/orders");
        JsonObject q = created.obj();
        assertThat(q.get("name").getAsString()).isEqualTo("orders");
        assertThat(q.get("owner").getAsString()).isEqualTo("alice");
        assertThat(q.get("partitions").getAsInt()).isEqualTo(2);
        assertThat(q.get("ackTimeoutMs").getAsLong()).isEqualTo(5000);
        assertThat(q.get("maxDeliveries").getAsInt()).isEqualTo(5);
        assertThat(q.get("overflow").getAsString()).isEqualTo("reject");

        assertThat(s.api.put("/v1/queues/orders", alice, json("partitions", 2, "ackTimeoutMs", 5000)).status())
                .isEqualTo(200);
        HttpReply otherOptions = s.api.put("/v1/queues/orders", alice, json("partitions", 3));
        assertThat(otherOptions.status()).isEqualTo(409);
        assertThat(otherOptions.code()).isEqualTo("ALREADY_EXISTS");
        HttpReply otherOwner = s.api.put("/v1/queues/orders", bob, json("partitions", 2, "ackTimeoutMs", 5000));
        assertThat(otherOwner.status()).isEqualTo(409);
        assertThat(s.api.put("/v1/topics/orders", alice, null).status()).isEqualTo(409);
    }

    @Test
    void listPagesByNameWithPrefixAndCursor() {
        for (String n : List.of("a1", "a2", "a3", "b1")) {
            s.createQueue(alice, n);
        }
        HttpReply first = s.api.get("/v1/queues?prefix=a&limit=2", bob);
        assertThat(names(first)).containsExactly("a1", "a2");
        assertThat(first.str("next")).isEqualTo("a2");
        JsonObject item = first.array("items").get(0).getAsJsonObject();
        assertThat(item.keySet()).contains("name", "owner", "partitions", "depth", "inFlight", "consumers",
                "createdAt");
        HttpReply second = s.api.get("/v1/queues?prefix=a&limit=2&cursor=a2", bob);
        assertThat(names(second)).containsExactly("a3");
        assertThat(second.obj().get("next").isJsonNull()).isTrue();
        assertThat(names(s.api.get("/v1/queues", bob))).containsExactly("a1", "a2", "a3", "b1");
    }

    @Test
    void publishReceiveAndAckOneMessage() {
        s.createQueue(alice, "orders");
        HttpReply pub = s.api.post("/v1/queues/orders/messages", alice,
                json("payload", "hello", "headers", java.util.Map.of("k", "v"), "key", "customer-1", "id", "m-1"));
        assertThat(pub.status()).isEqualTo(201);
        assertThat(pub.array("ids").toString()).isEqualTo("[\"m-1\"]");
        assertThat(s.api.get("/v1/queues/orders", alice).obj().get("depth").getAsLong()).isEqualTo(1);

        HttpReply got = s.api.post("/v1/queues/orders/receive", bob, json("max", 10));
        assertThat(got.status()).isEqualTo(200);
        JsonArray messages = got.array("messages");
        assertThat(messages).hasSize(1);
        JsonObject m = messages.get(0).getAsJsonObject();
        assertThat(m.get("id").getAsString()).isEqualTo("m-1");
        assertThat(m.get("payload").getAsString()).isEqualTo("hello");
        assertThat(m.getAsJsonObject("headers").get("k").getAsString()).isEqualTo("v");
        assertThat(m.get("key").getAsString()).isEqualTo("customer-1");
        assertThat(m.get("sender").getAsString()).isEqualTo("alice");
        assertThat(m.get("deliveryCount").getAsInt()).isEqualTo(1);
        assertThat(m.has("publishedAt")).isTrue();
        String receipt = m.get("receipt").getAsString();
        assertThat(s.api.get("/v1/queues/orders", alice).obj().get("inFlight").getAsLong()).isEqualTo(1);

        HttpReply ack = s.api.post("/v1/queues/orders/ack", bob, json("receipts", List.of(receipt)));
        assertThat(ack.json().toString()).isEqualTo("{\"acked\":1,\"invalid\":[]}");
        HttpReply again = s.api.post("/v1/queues/orders/ack", bob, json("receipts", List.of(receipt, "bogus")));
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().toString()).isEqualTo("{\"acked\":0,\"invalid\":[\"" + receipt + "\",\"bogus\"]}");
        assertThat(s.api.get("/v1/queues/orders", alice).obj().get("depth").getAsLong()).isZero();
    }

    @Test
    void batchPublishKeepsOrderAndDeduplicatesProducerIds() {
        s.createQueue(alice, "orders");
        HttpReply pub = s.api.post("/v1/queues/orders/messages", alice, "{\"messages\":[{\"payload\":\"a\",\"id\":\"x\"},"
                + "{\"payload\":\"b\"},{\"payload\":\"c\"}]}");
        assertThat(pub.status()).isEqualTo(201);
        assertThat(pub.array("ids")).hasSize(3);
        assertThat(pub.array("ids").get(0).getAsString()).isEqualTo("x");
        HttpReply dup = s.api.post("/v1/queues/orders/messages", alice, json("payload", "a", "id", "x"));
        assertThat(dup.array("ids").toString()).isEqualTo("[\"x\"]");
        HttpReply got = s.api.post("/v1/queues/orders/receive", alice, json("max", 10, "autoAck", true));
        assertThat(payloads(got)).containsExactly("a", "b", "c");
        assertThat(got.array("messages").get(0).getAsJsonObject().has("receipt")).isFalse();
        assertThat(s.api.get("/v1/queues/orders", alice).obj().get("depth").getAsLong()).isZero();
    }

    @Test
    void binaryPayloadsTravelAsBase64AndTextAsText() {
        s.createQueue(alice, "bin");
        byte[] notUtf8 = {(byte) 0xff, 0x00, (byte) 0xc3};
        s.api.post("/v1/queues/bin/messages", alice, json("payloadBase64", Base64.getEncoder().encodeToString(notUtf8)));
        s.api.post("/v1/queues/bin/messages", alice,
                json("payloadBase64", Base64.getEncoder().encodeToString("héllo".getBytes(java.nio.charset.StandardCharsets.UTF_8))));
        JsonArray got = s.api.post("/v1/queues/bin/receive", alice, json("max", 2, "autoAck", true)).array("messages");
        JsonObject binary = got.get(0).getAsJsonObject();
        assertThat(binary.has("payload")).isFalse();
        assertThat(Base64.getDecoder().decode(binary.get("payloadBase64").getAsString())).isEqualTo(notUtf8);
        assertThat(got.get(1).getAsJsonObject().get("payload").getAsString()).isEqualTo("héllo");
    }

    @Test
    void nackRequeuesOrDeadLetters() {
        s.createQueue(alice, "jobs");
        s.publish(alice, "/v1/queues/jobs/messages", "one");
        String r1 = receipt(s.api.post("/v1/queues/jobs/receive", alice, null));
        HttpReply nack = s.api.post("/v1/queues/jobs/nack", alice, json("receipts", List.of(r1)));
        assertThat(nack.json().toString()).isEqualTo("{\"nacked\":1,\"invalid\":[]}");
        HttpReply again = s.api.post("/v1/queues/jobs/receive", alice, null);
        assertThat(again.array("messages").get(0).getAsJsonObject().get("deliveryCount").getAsInt()).isEqualTo(2);

        s.api.post("/v1/queues/jobs/nack", alice, json("receipts", List.of(receipt(again)), "requeue", false));
        await().untilAsserted(() -> assertThat(s.api.get("/v1/queues/jobs.dlq", alice).status()).isEqualTo(200));
        HttpReply dead = s.api.post("/v1/queues/jobs.dlq/receive", alice, json("max", 10, "waitMs", 5000));
        assertThat(payloads(dead)).containsExactly("one");
        assertThat(s.api.get("/v1/queues/jobs.dlq", alice).str("owner")).isEqualTo("alice");
    }

    @Test
    void longPollEndsEmptyWhenNothingArrives() {
        s.createQueue(alice, "idle");
        long began = System.nanoTime();
        HttpReply r = s.api.post("/v1/queues/idle/receive", alice, json("waitMs", 300));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.array("messages")).isEmpty();
        assertThat(Duration.ofNanos(System.nanoTime() - began)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
    }

    @Test
    void waitingReceiversAreServedRoundRobin() {
        s.createQueue(alice, "fair");
        CompletableFuture<HttpReply> first = CompletableFuture.supplyAsync(
                () -> s.api.post("/v1/queues/fair/receive", alice, json("max", 10, "waitMs", 20000)));
        CompletableFuture<HttpReply> second = CompletableFuture.supplyAsync(
                () -> s.api.post("/v1/queues/fair/receive", bob, json("max", 10, "waitMs", 20000)));
        await().until(() -> s.api.get("/v1/queues/fair", alice).obj().get("consumers").getAsInt() == 2);
        s.api.post("/v1/queues/fair/messages", alice, "{\"messages\":[{\"payload\":\"m1\"},{\"payload\":\"m2\"}]}");
        List<String> all = new ArrayList<>();
        for (HttpReply r : List.of(first.join(), second.join())) {
            assertThat(r.array("messages")).hasSize(1);
            all.addAll(payloads(r));
        }
        assertThat(all).containsExactlyInAnyOrder("m1", "m2");
    }

    @Test
    void longPollsDoNotHoldServerThreads() {
        s.createQueue(alice, "many");
        List<CompletableFuture<HttpReply>> polls = new ArrayList<>();
        java.util.concurrent.ExecutorService clients = java.util.concurrent.Executors.newFixedThreadPool(40);
        for (int i = 0; i < 40; i++) {
            polls.add(CompletableFuture.supplyAsync(
                    () -> s.api.post("/v1/queues/many/receive", alice, json("waitMs", 20000)), clients));
        }
        await().until(() -> s.api.get("/v1/queues/many", alice).obj().get("consumers").getAsInt() == 40);
        // 40 waiting pulls exceed Undertow's worker threads; other requests are still served.
        assertThat(s.api.get("/healthz", null).status()).isEqualTo(200);
        s.api.post("/v1/queues/many/messages", alice, json("messages", java.util.Collections.nCopies(40,
                java.util.Map.of("payload", "x"))));
        for (CompletableFuture<HttpReply> p : polls) {
            assertThat(p.join().array("messages")).hasSize(1);
        }
        clients.shutdown();
    }

    @Test
    void waitingReceiveIsGoneWhenTheQueueIsDeleted() {
        s.createQueue(alice, "doomed");
        CompletableFuture<HttpReply> waiting = CompletableFuture.supplyAsync(
                () -> s.api.post("/v1/queues/doomed/receive", bob, json("waitMs", 20000)));
        await().until(() -> s.api.get("/v1/queues/doomed", alice).obj().get("consumers").getAsInt() == 1);
        assertThat(s.api.delete("/v1/queues/doomed", alice).status()).isEqualTo(204);
        HttpReply r = waiting.join();
        assertThat(r.status()).isEqualTo(410);
        assertThat(r.code()).isEqualTo("GONE");
    }

    @Test
    void onlyTheOwnerOrAnAdminDeletes() {
        s.createQueue(alice, "mine");
        s.publish(alice, "/v1/queues/mine/messages", "keep");
        HttpReply r = s.api.delete("/v1/queues/mine", bob);
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.code()).isEqualTo("FORBIDDEN");
        assertThat(s.api.get("/v1/queues/mine", bob).obj().get("depth").getAsLong()).isEqualTo(1);
        assertThat(s.api.delete("/v1/queues/mine", s.adminToken).status()).isEqualTo(204);
        assertThat(s.api.get("/v1/queues/mine", bob).code()).isEqualTo("NOT_FOUND");
        assertThat(s.api.delete("/v1/queues/mine", alice).status()).isEqualTo(404);
    }

    @Test
    void deleteWithTransferMovesPendingMessagesFirst() {
        s.createQueue(alice, "old");
        s.createQueue(bob, "new");
        s.publish(alice, "/v1/queues/old/messages", "m1");
        s.publish(alice, "/v1/queues/old/messages", "m2");
        receipt(s.api.post("/v1/queues/old/receive", alice, null)); // m1 in flight, still pending
        assertThat(s.api.delete("/v1/queues/old?messages=transfer&to=new", alice).status()).isEqualTo(204);
        assertThat(s.api.get("/v1/queues/new", bob).obj().get("depth").getAsLong()).isEqualTo(2);
        HttpReply moved = s.api.post("/v1/queues/new/receive", bob, json("max", 10));
        assertThat(payloads(moved)).containsExactly("m1", "m2");
        assertThat(moved.array("messages").get(0).getAsJsonObject().get("sender").getAsString()).isEqualTo("alice");
    }

    @Test
    void fullQueueWithRejectOverflowAnswers429() {
        s.api.put("/v1/queues/small", alice, json("maxLength", 1));
        s.publish(alice, "/v1/queues/small/messages", "one");
        HttpReply r = s.api.post("/v1/queues/small/messages", alice, json("payload", "two"));
        assertThat(r.status()).isEqualTo(429);
        assertThat(r.code()).isEqualTo("QUEUE_FULL");
        assertThat(s.api.get("/v1/queues/small", alice).obj().get("depth").getAsLong()).isEqualTo(1);
    }

    static List<String> names(HttpReply r) {
        List<String> out = new ArrayList<>();
        r.array("items").forEach(e -> out.add(e.getAsJsonObject().get("name").getAsString()));
        return out;
    }

    static List<String> payloads(HttpReply r) {
        List<String> out = new ArrayList<>();
        r.array("messages").forEach(e -> out.add(e.getAsJsonObject().get("payload").getAsString()));
        return out;
    }

    static String receipt(HttpReply r) {
        assertThat(r.array("messages")).as(r.toString()).isNotEmpty();
        return r.array("messages").get(0).getAsJsonObject().get("receipt").getAsString();
    }
}
