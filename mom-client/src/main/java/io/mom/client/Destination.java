package io.mom.client;

import java.util.Objects;

/**
 * Names a queue or a topic: where messages are published and what is declared, described or deleted.
 * Names are checked by the server ({@code [A-Za-z0-9._-]{1,120}}); an invalid one fails the call
 * with an {@link InvalidRequestException} whose code is {@code INVALID_NAME}.
 *
 * @param type queue or topic
 * @param name the destination name
 */
public record Destination(DestinationType type, String name) {
    public Destination {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(name, "name");
    }

    /** The queue of that name. */
    public static Destination queue(String name) {
        return new Destination(DestinationType.QUEUE, name);
    }

    /** The topic of that name. */
    public static Destination topic(String name) {
        return new Destination(DestinationType.TOPIC, name);
    }

    /** True for a queue. */
    public boolean isQueue() {
        return type == DestinationType.QUEUE;
    }

    @Override
    public String toString() {
        return (isQueue() ? "queue:" : "topic:") + name;
    }
}
