package io.mom.core;

import java.util.Objects;

/** Names a queue or a topic (or, inside a cluster, a partition shard of one: see {@link Names}). */
public record DestinationRef(DestinationType type, String name) {
    public DestinationRef {
        Objects.requireNonNull(type, "type");
        if (!Names.isShard(name)) {
            Names.require(name, type == DestinationType.QUEUE ? "queue" : "topic");
        }
    }

    public static DestinationRef queue(String name) {
        return new DestinationRef(DestinationType.QUEUE, name);
    }

    public static DestinationRef topic(String name) {
        return new DestinationRef(DestinationType.TOPIC, name);
    }

    @Override
    public String toString() {
        return (type == DestinationType.QUEUE ? "queue:" : "topic:") + name;
    }
}
