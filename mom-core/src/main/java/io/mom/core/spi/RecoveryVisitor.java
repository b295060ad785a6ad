package io.mom.core.spi;

/**
 * Receives the state of a store at recovery: first every destination, then every subscription, then
 * the messages of each partition in sequence order. Called on the recovering thread only.
 */
public interface RecoveryVisitor {
    void destination(DestinationRecord destination);

    void subscription(SubscriptionRecord subscription);

    void message(RecoveredMessage message);
}
