package io.mom.server.logging;

import io.mom.core.CloseReason;
import io.mom.core.SubscriptionRef;
import io.mom.core.spi.BrokerEvents;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Locale;

/**
 * Logs broker events as one {@code key=value} line each, on the logger {@code io.mom.events}: consumers
 * attached and detached and messages dead-lettered at INFO; deliveries, redeliveries, expiries and
 * overflow drops at DEBUG (they can be one line per message). Destinations and subscriptions created or
 * deleted are logged by the broker itself ({@code event=destination_created} ...), so they are not
 * repeated here. Lines name destinations, subscriptions, consumer ids and counts; never payloads.
 *
 * <p>Thread-safe and non-blocking beyond the logging backend (the shipped configuration logs through an
 * asynchronous appender), as {@link BrokerEvents} requires.
 */
public final class LoggingBrokerEvents implements BrokerEvents {
    /** The logger of broker events. */
    public static final String LOGGER = "io.mom.events";
    private static final Logger log = LoggerFactory.getLogger(LOGGER);

    @Override
    public void consumerAttached(SubscriptionRef subscription, long consumerId) {
        log.info("event=consumer_attached subscription={} consumer={}", subscription, consumerId);
    }

    @Override
    public void consumerDetached(SubscriptionRef subscription, long consumerId, CloseReason reason) {
        log.info("event=consumer_detached subscription={} consumer={} reason={}", subscription, consumerId,
                reason.name().toLowerCase(Locale.ROOT));
    }

    @Override
    public void deadLettered(SubscriptionRef subscription, String deadLetterQueue, int count) {
        log.info("event=dead_lettered subscription={} dlq={} count={}", subscription, deadLetterQueue, count);
    }

    @Override
    public void delivered(SubscriptionRef subscription, int count) {
        log.debug("event=delivered subscription={} count={}", subscription, count);
    }

    @Override
    public void redelivered(SubscriptionRef subscription, int count) {
        log.debug("event=redelivered subscription={} count={}", subscription, count);
    }

    @Override
    public void expired(String destination, int count) {
        log.debug("event=expired destination={} count={}", destination, count);
    }

    @Override
    public void dropped(String destination, int count) {
        log.debug("event=dropped destination={} count={} reason=overflow", destination, count);
    }
}
