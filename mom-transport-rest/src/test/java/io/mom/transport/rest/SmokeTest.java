package io.mom.transport.rest;

import io.mom.transport.rest.testing.ApiClient;
import io.mom.transport.rest.testing.HttpReply;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SmokeTest {
    @Test
    void publishAndReceive() {
        try (TestServer s = TestServer.start()) {
            String alice = s.user("alice");
            s.createQueue(alice, "orders");
            s.publish(alice, "/v1/queues/orders/messages", "hello");
            HttpReply r = s.api.post("/v1/queues/orders/receive", alice, ApiClient.json("max", 10));
            assertThat(r.status()).as(r.toString()).isEqualTo(200);
            System.out.println(r);
        }
    }
}
