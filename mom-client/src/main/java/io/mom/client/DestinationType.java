package io.mom.client;

/** The two kinds of destination. */
public enum DestinationType {
    /** Point-to-point: each message is delivered to one consumer of the queue. */
    QUEUE,
    /** Publish-subscribe: each message reaches every subscription of the topic. */
    TOPIC
}
