package io.mom.core;

/** A queue has one implicit shared subscription; a topic has named durable subscriptions. */
public enum DestinationType {
    QUEUE,
    TOPIC
}
