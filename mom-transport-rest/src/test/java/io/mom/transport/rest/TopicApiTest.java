package io.mom.transport.rest;

import com.google.gson.JsonObject;
import io.mom.transport.rest.testing.HttpReply;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.mom.transport.rest.QueueApiTest.payloads;
import static io.mom.transport.rest.QueueApiTest.receipt;
import static io.mom.transport.rest.testing.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

class TopicApiTest {
    private final TestServer s = TestServer.start();
    private final String alice = s.user("alice");
    private final String bob = s.user("bob");
    private final String carol = s.user("carol");

    @AfterEach
    void stop() {
        s.close();
    }

    @Test
    void everySubscriptionGetsEachMessagePublishedAfterItExists() {
        s.createTopic(alice, "news");
        assertThat(s.api.put("/v1/topics/news/subscriptions/s1", bob, null).status()).isEqualTo(201);
        assertThat(s.api.put("/v1/topics/news/subscriptions/s2", carol, json("ackTimeoutMs", 1000)).status())
                .isEqualTo(201);
        assertThat(s.api.put("/v1/topics/news/subscriptions/s1", bob, null).status()).isEqualTo(200);
        s.publish(alice, "/v1/topics/news/messages", "first");
        s.api.put("/v1/topics/news/subscriptions/late", carol, null);

        assertThat(payloads(s.api.post("/v1/topics/news/subscriptions/s1/receive", bob, json("max", 5))))
                .containsExactly("first");
        HttpReply s2 = s.api.post("/v1/topics/news/subscriptions/s2/receive", carol, json("max", 5));
        assertThat(payloads(s2)).containsExactly("first");
        assertThat(s.api.post("/v1/topics/news/subscriptions/late/receive", carol, null).array("messages")).isEmpty();

        HttpReply ack = s.api.post("/v1/topics/news/subscriptions/s2/ack", carol, json("receipts", List.of(receipt(s2))));
        assertThat(ack.obj().get("acked").getAsInt()).isEqualTo(1);
    }

    @Test
    void subscriptionsAreListedWithTheirCounts() {
        s.createTopic(alice, "news");
        s.api.put("/v1/topics/news/subscriptions/s1", bob, null);
        s.publish(alice, "/v1/topics/news/messages", "m");
        HttpReply list = s.api.get("/v1/topics/news/subscriptions", carol);
        assertThat(list.status()).isEqualTo(200);
        JsonObject item = list.array("items").get(0).getAsJsonObject();
        assertThat(item.get("name").getAsString()).isEqualTo("s1");
        assertThat(item.get("owner").getAsString()).isEqualTo("bob");
        assertThat(item.get("pending").getAsLong()).isEqualTo(1);
        assertThat(item.get("inFlight").getAsLong()).isZero();
        assertThat(item.get("consumers").getAsInt()).isZero();

        HttpReply topic = s.api.get("/v1/topics/news", carol);
        assertThat(topic.obj().get("subscriptions").getAsInt()).isEqualTo(1);
        HttpReply topics = s.api.get("/v1/topics", carol);
        assertThat(topics.array("items").get(0).getAsJsonObject().keySet())
                .contains("name", "owner", "partitions", "subscriptions", "createdAt");
    }

    @Test
    void subscriptionIsDeletedByItsCreatorTheTopicOwnerOrAnAdmin() {
        s.createTopic(alice, "news");
        s.api.put("/v1/topics/news/subscriptions/s1", bob, null);
        s.api.put("/v1/topics/news/subscriptions/s2", bob, null);
        s.api.put("/v1/topics/news/subscriptions/s3", bob, null);
        HttpReply denied = s.api.delete("/v1/topics/news/subscriptions/s1", carol);
        assertThat(denied.status()).isEqualTo(403);
        assertThat(s.api.delete("/v1/topics/news/subscriptions/s1", bob).status()).isEqualTo(204);
        assertThat(s.api.delete("/v1/topics/news/subscriptions/s2", alice).status()).isEqualTo(204);
        assertThat(s.api.delete("/v1/topics/news/subscriptions/s3", s.adminToken).status()).isEqualTo(204);
        assertThat(s.api.get("/v1/topics/news/subscriptions", carol).array("items")).isEmpty();
        assertThat(s.api.delete("/v1/topics/news/subscriptions/s3", bob).code()).isEqualTo("NOT_FOUND");
    }

    @Test
    void topicDeletionTransfersMessagesUnackedBySomeSubscriptionOnce() {
        s.createTopic(alice, "news");
        s.createQueue(bob, "archive");
        s.api.put("/v1/topics/news/subscriptions/s1", bob, null);
        s.api.put("/v1/topics/news/subscriptions/s2", bob, null);
        s.publish(alice, "/v1/topics/news/messages", "acked-by-all");
        s.publish(alice, "/v1/topics/news/messages", "pending");
        for (String sub : List.of("s1", "s2")) {
            HttpReply got = s.api.post("/v1/topics/news/subscriptions/" + sub + "/receive", bob, json("max", 1));
            s.api.post("/v1/topics/news/subscriptions/" + sub + "/ack", bob, json("receipts", List.of(receipt(got))));
        }
        HttpReply denied = s.api.delete("/v1/topics/news?messages=transfer&to=archive", bob);
        assertThat(denied.status()).isEqualTo(403);
        assertThat(s.api.delete("/v1/topics/news?messages=transfer&to=archive", alice).status()).isEqualTo(204);
        assertThat(s.api.get("/v1/topics/news", alice).status()).isEqualTo(404);
        assertThat(payloads(s.api.post("/v1/queues/archive/receive", bob, json("max", 10)))).containsExactly("pending");
    }

    @Test
    void subscribingToAnUnknownTopicIs404() {
        HttpReply r = s.api.put("/v1/topics/nope/subscriptions/s1", bob, null);
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.code()).isEqualTo("NOT_FOUND");
        assertThat(s.api.post("/v1/topics/nope/messages", bob, json("payload", "x")).status()).isEqualTo(404);
    }
}
