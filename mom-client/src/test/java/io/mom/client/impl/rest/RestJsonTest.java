package io.mom.client.impl.rest;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.mom.client.AckResult;
import io.mom.client.Destination;
import io.mom.client.DestinationInfo;
import io.mom.client.DestinationOptions;
import io.mom.client.DestinationType;
import io.mom.client.OutgoingMessage;
import io.mom.client.Overflow;
import io.mom.client.Page;
import io.mom.client.SubscriptionInfo;
import io.mom.client.SubscriptionOptions;
import io.mom.client.impl.Delivery;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class RestJsonTest {

    private static JsonObject json(String s) {
        return JsonParser.parseString(s).getAsJsonObject();
    }

    @Test
    void aTextMessageIsSentAsPayloadWithItsIdHeadersKeyAndTtl() {
        JsonObject o = RestJson.message(OutgoingMessage.builder().text("h\u00e9llo").id("m-1").header("a", "1")
                .key("k").ttl(Duration.ofSeconds(60)).build());
        assertThat(o).isEqualTo(json("{\"id\":\"m-1\",\"payload\":\"h\u00e9llo\",\"headers\":{\"a\":\"1\"},"
                + "\"key\":\"k\",\"ttlMs\":60000}"));
    }

    @Test
    void aBinaryMessageIsSentAsBase64AndAPlainOneHasNoOptionalFields() {
        assertThat(RestJson.message(OutgoingMessage.bytes(new byte[]{0, (byte) 0xFF, 65})))
                .isEqualTo(json("{\"payloadBase64\":\"AP9B\"}"));
        assertThat(RestJson.batch(List.of(OutgoingMessage.text("a"), OutgoingMessage.text("b"))))
                .isEqualTo(json("{\"messages\":[{\"payload\":\"a\"},{\"payload\":\"b\"}]}"));
    }

    @Test
    void onlySetOptionsAreSentUnderTheirApiNames() {
        assertThat(RestJson.options(DestinationOptions.DEFAULTS)).isEqualTo(new JsonObject());
        assertThat(RestJson.options(DestinationOptions.builder().partitions(4).ackTimeout(Duration.ofSeconds(5))
                .maxDeliveries(3).ttl(Duration.ofMinutes(1)).maxLength(10L).overflow(Overflow.DROP_OLDEST).build()))
                .isEqualTo(json("{\"partitions\":4,\"ackTimeoutMs\":5000,\"maxDeliveries\":3,\"ttlMs\":60000,"
                        + "\"maxLength\":10,\"overflow\":\"dropOldest\"}"));
        assertThat(RestJson.options(SubscriptionOptions.of(Duration.ofMillis(500), null)))
                .isEqualTo(json("{\"ackTimeoutMs\":500}"));
    }

    @Test
    void decodesATextDeliveryWithEveryField() {
        Delivery d = RestJson.delivery(json("{\"id\":\"m1\",\"payload\":\"hi\",\"headers\":{\"h\":\"v\"},\"key\":\"k\","
                + "\"ttlMs\":60000,\"sender\":\"alice\",\"publishedAt\":\"2026-01-01T00:00:00Z\","
                + "\"deliveryCount\":2,\"receipt\":\"r1\",\"futureField\":true}"));
        assertThat(d.id()).isEqualTo("m1");
        assertThat(new String(d.payload(), StandardCharsets.UTF_8)).isEqualTo("hi");
        assertThat(d.headers()).isEqualTo(Map.of("h", "v"));
        assertThat(d.key()).contains("k");
        assertThat(d.ttl()).contains(Duration.ofMinutes(1));
        assertThat(d.sender()).isEqualTo("alice");
        assertThat(d.publishedAt()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
        assertThat(d.deliveryCount()).isEqualTo(2);
        assertThat(d.receipt()).contains("r1");
    }

    @Test
    void decodesABase64DeliveryWithoutReceipt() {
        Delivery d = RestJson.delivery(json("{\"id\":\"m2\",\"payloadBase64\":\"AP9B\",\"sender\":\"bob\","
                + "\"publishedAt\":\"2026-01-01T00:00:00Z\",\"deliveryCount\":1}"));
        assertThat(d.payload()).containsExactly(0, 0xFF, 65);
        assertThat(d.receipt()).isEmpty();
        assertThat(d.key()).isEmpty();
        assertThat(d.headers()).isEmpty();
    }

    @Test
    void decodesAQueueWithNestedOrFlatOptionsAndAPageCursor() {
        DestinationInfo nested = RestJson.destination(DestinationType.QUEUE, json("{\"name\":\"q\",\"owner\":\"alice\","
                + "\"partitions\":2,\"depth\":5,\"inFlight\":1,\"consumers\":3,\"createdAt\":\"2026-01-01T00:00:00Z\","
                + "\"options\":{\"partitions\":2,\"ackTimeoutMs\":1000,\"overflow\":\"dropOldest\"}}"));
        assertThat(nested.destination()).isEqualTo(Destination.queue("q"));
        assertThat(nested.owner()).isEqualTo("alice");
        assertThat(nested.depth()).isEqualTo(5);
        assertThat(nested.inFlight()).isEqualTo(1);
        assertThat(nested.consumers()).isEqualTo(3);
        assertThat(nested.options().ackTimeout()).contains(Duration.ofSeconds(1));
        assertThat(nested.options().overflow()).contains(Overflow.DROP_OLDEST);
        DestinationInfo flat = RestJson.destination(DestinationType.QUEUE,
                json("{\"name\":\"q\",\"owner\":\"a\",\"maxDeliveries\":7,\"ttlMs\":10}"));
        assertThat(flat.options().maxDeliveries()).contains(7);
        assertThat(flat.options().ttl()).contains(Duration.ofMillis(10));
        Page<DestinationInfo> page = RestJson.destinations(DestinationType.TOPIC, json("{\"items\":[{\"name\":\"t\","
                + "\"owner\":\"a\",\"partitions\":1,\"subscriptions\":2,\"createdAt\":\"2026-01-01T00:00:00Z\"}],"
                + "\"next\":\"t\"}"));
        assertThat(page.items()).singleElement().satisfies(t -> {
            assertThat(t.destination()).isEqualTo(Destination.topic("t"));
            assertThat(t.subscriptions()).isEqualTo(2);
        });
        assertThat(page.next()).contains("t");
        assertThat(RestJson.destinations(DestinationType.TOPIC, json("{\"items\":[],\"next\":null}")).next()).isEmpty();
    }

    @Test
    void decodesSubscriptionsAckResultsAndTimes() {
        List<SubscriptionInfo> subs = RestJson.subscriptions("news", json("{\"items\":[{\"name\":\"s\",\"owner\":\"o\","
                + "\"pending\":4,\"inFlight\":1,\"consumers\":2}]}"));
        assertThat(subs).containsExactly(new SubscriptionInfo("news", "s", "o", 4, 1, 2));
        assertThat(RestJson.ackResult(json("{\"acked\":2,\"invalid\":[\"r3\"]}"), "acked"))
                .isEqualTo(new AckResult(2, List.of("r3")));
        assertThat(RestJson.ackResult(json("{\"nacked\":1,\"invalid\":[]}"), "nacked")).isEqualTo(new AckResult(1, List.of()));
        assertThat(RestJson.instant(JsonParser.parseString("1767225600000"), Instant.EPOCH))
                .isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
        assertThat(RestJson.instant(JsonParser.parseString("1767225600"), Instant.EPOCH))
                .isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
        assertThat(RestJson.instant(null, Instant.EPOCH)).isEqualTo(Instant.EPOCH);
        assertThat(RestJson.session(json("{\"token\":\"t\",\"expiresAt\":\"2026-01-01T00:00:00Z\"}")).expiresAt())
                .isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
        assertThat(RestJson.optionalString(json("{\"a\":null}"), "a")).isEqualTo(Optional.empty());
    }
}
