package io.mom.transport.rest.internal.json;

import com.google.gson.JsonArray;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import io.mom.core.DestinationInfo;
import io.mom.core.DestinationOptions;
import io.mom.core.DestinationType;
import io.mom.core.MomException;
import io.mom.core.Overflow;
import io.mom.core.Page;
import io.mom.core.SubscriptionInfo;
import io.mom.core.SubscriptionOptions;

import java.time.Duration;
import java.util.List;
import java.util.Set;

/** Destination and subscription options and snapshots on the wire. Stateless. */
public final class DestinationJson {
    private static final Set<String> OPTION_FIELDS =
            Set.of("partitions", "ackTimeoutMs", "maxDeliveries", "ttlMs", "maxLength", "overflow");
    private static final Set<String> SUBSCRIPTION_FIELDS = Set.of("ackTimeoutMs", "maxDeliveries");
    private static final long MIN_ACK_MS = DestinationOptions.MIN_ACK_TIMEOUT.toMillis();
    private static final long MAX_ACK_MS = DestinationOptions.MAX_ACK_TIMEOUT.toMillis();

    private DestinationJson() {
    }

    /** Queue or topic options; absent fields take the API defaults. */
    public static DestinationOptions options(JsonObject body) {
        Fields f = Fields.of(body, "", OPTION_FIELDS);
        DestinationOptions.Builder b = DestinationOptions.builder();
        f.optionalInt("partitions", 1, 64).ifPresent(b::partitions);
        f.optionalLong("ackTimeoutMs", MIN_ACK_MS, MAX_ACK_MS).ifPresent(ms -> b.ackTimeout(Duration.ofMillis(ms)));
        f.optionalInt("maxDeliveries", 1, 1000).ifPresent(b::maxDeliveries);
        f.optionalLong("ttlMs", 1, Long.MAX_VALUE).ifPresent(ms -> b.ttl(Duration.ofMillis(ms)));
        f.optionalLong("maxLength", 1, Long.MAX_VALUE).ifPresent(b::maxLength);
        f.optionalString("overflow").ifPresent(o -> b.overflow(overflow(o)));
        return b.build();
    }

    public static SubscriptionOptions subscriptionOptions(JsonObject body) {
        Fields f = Fields.of(body, "", SUBSCRIPTION_FIELDS);
        Duration ack = f.optionalLong("ackTimeoutMs", MIN_ACK_MS, MAX_ACK_MS).map(Duration::ofMillis).orElse(null);
        Integer max = f.optionalInt("maxDeliveries", 1, 1000).orElse(null);
        return SubscriptionOptions.of(ack, max);
    }

    private static Overflow overflow(String value) {
        if ("reject".equals(value)) {
            return Overflow.REJECT;
        }
        if ("dropOldest".equals(value)) {
            return Overflow.DROP_OLDEST;
        }
        throw MomException.invalid("'overflow' must be \"reject\" or \"dropOldest\"");
    }

    /** The list item of a queue or topic. */
    public static JsonObject item(DestinationInfo d) {
        JsonObject o = new JsonObject();
        o.addProperty("name", d.ref().name());
        o.addProperty("owner", d.owner());
        o.addProperty("partitions", d.options().partitions());
        o.addProperty("depth", d.depth());
        o.addProperty("inFlight", d.inFlight());
        o.addProperty("consumers", d.consumers());
        if (d.ref().type() == DestinationType.TOPIC) {
            o.addProperty("subscriptions", d.subscriptions());
        }
        o.addProperty("createdAt", d.createdAt().toString());
        return o;
    }

    /** The item plus every option. */
    public static JsonObject detail(DestinationInfo d) {
        JsonObject o = item(d);
        DestinationOptions opts = d.options();
        o.addProperty("ackTimeoutMs", opts.ackTimeout().toMillis());
        o.addProperty("maxDeliveries", opts.maxDeliveries());
        if (opts.ttl().isPresent()) {
            o.addProperty("ttlMs", opts.ttl().get().toMillis());
        } else {
            o.add("ttlMs", JsonNull.INSTANCE);
        }
        if (opts.maxLength().isPresent()) {
            o.addProperty("maxLength", opts.maxLength().get());
        } else {
            o.add("maxLength", JsonNull.INSTANCE);
        }
        o.addProperty("overflow", opts.overflow() == Overflow.REJECT ? "reject" : "dropOldest");
        return o;
    }

    public static JsonObject page(Page<DestinationInfo> page) {
        JsonArray items = new JsonArray(page.items().size());
        page.items().forEach(d -> items.add(item(d)));
        JsonObject o = new JsonObject();
        o.add("items", items);
        if (page.next().isPresent()) {
            o.addProperty("next", page.next().get());
        } else {
            o.add("next", JsonNull.INSTANCE);
        }
        return o;
    }

    public static JsonObject subscription(SubscriptionInfo s) {
        JsonObject o = new JsonObject();
        o.addProperty("name", s.ref().subscription());
        o.addProperty("topic", s.ref().destination().name());
        o.addProperty("owner", s.owner());
        o.addProperty("pending", s.pending());
        o.addProperty("inFlight", s.inFlight());
        o.addProperty("consumers", s.consumers());
        o.addProperty("createdAt", s.createdAt().toString());
        if (s.options().ackTimeout().isPresent()) {
            o.addProperty("ackTimeoutMs", s.options().ackTimeout().get().toMillis());
        } else {
            o.add("ackTimeoutMs", JsonNull.INSTANCE);
        }
        if (s.options().maxDeliveries().isPresent()) {
            o.addProperty("maxDeliveries", s.options().maxDeliveries().get());
        } else {
            o.add("maxDeliveries", JsonNull.INSTANCE);
        }
        return o;
    }

    public static JsonObject subscriptions(List<SubscriptionInfo> list) {
        JsonArray items = new JsonArray(list.size());
        list.forEach(s -> items.add(subscription(s)));
        JsonObject o = new JsonObject();
        o.add("items", items);
        return o;
    }
}
