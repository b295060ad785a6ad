package io.mom.core.broker;

import io.mom.core.AckResult;
import io.mom.core.Broker;
import io.mom.core.CloseReason;
import io.mom.core.ConsumerOptions;
import io.mom.core.Delivery;
import io.mom.core.DeliveryListener;
import io.mom.core.DestinationOptions;
import io.mom.core.DestinationRef;
import io.mom.core.Identity;
import io.mom.core.OutgoingMessage;
import io.mom.core.ReceiveRequest;
import io.mom.core.SubscriptionOptions;
import io.mom.core.SubscriptionRef;
import io.mom.core.memory.InMemoryMessageStore;
import io.mom.core.testing.ManualTime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** A broker on a manual clock and an in-memory store, with small helpers for the tests. */
abstract class BrokerFixture {
    static final Identity ALICE = Identity.user("alice");
    static final Identity BOB = Identity.user("bob");
    static final Identity ADMIN = Identity.admin("root");

    ManualTime time;
    InMemoryMessageStore store;
    Broker broker;

    @BeforeEach
    void startBroker() {
        time = new ManualTime();
        store = new InMemoryMessageStore();
        broker = newBroker();
    }

    Broker newBroker() {
        return Broker.builder().store(store).clock(time).scheduler(time).build().start();
    }

    @AfterEach
    void stopBroker() {
        broker.close();
    }

    /** Restarts the broker on the same store, as after a crash of everything in memory. */
    void restart() {
        time = new ManualTime(time.instant());
        broker = newBroker();
    }

    DestinationRef queue(String name) {
        broker.declare(ALICE, DestinationRef.queue(name), DestinationOptions.DEFAULTS);
        return DestinationRef.queue(name);
    }

    DestinationRef queue(String name, DestinationOptions options) {
        broker.declare(ALICE, DestinationRef.queue(name), options);
        return DestinationRef.queue(name);
    }

    DestinationRef topic(String name, String... subscriptions) {
        broker.declare(ALICE, DestinationRef.topic(name), DestinationOptions.DEFAULTS);
        for (String s : subscriptions) {
            broker.subscribe(BOB, SubscriptionRef.topic(name, s), SubscriptionOptions.DEFAULTS);
        }
        return DestinationRef.topic(name);
    }

    void publish(DestinationRef to, String... texts) {
        for (String t : texts) {
            broker.publish(ALICE, to, OutgoingMessage.of(t)).join();
        }
    }

    List<Delivery> receive(SubscriptionRef from, int max) {
        return broker.receive(ALICE, from, ReceiveRequest.of(max, Duration.ZERO)).join();
    }

    AckResult ack(SubscriptionRef from, List<Delivery> deliveries) {
        return broker.ack(ALICE, from, receipts(deliveries)).join();
    }

    static List<String> receipts(List<Delivery> deliveries) {
        return deliveries.stream().map(d -> d.receipt().orElseThrow()).toList();
    }

    static String text(Delivery d) {
        return new String(d.message().payload(), StandardCharsets.UTF_8);
    }

    static List<String> texts(List<Delivery> deliveries) {
        return deliveries.stream().map(BrokerFixture::text).toList();
    }

    Recorder consume(SubscriptionRef from, ConsumerOptions options) {
        Recorder r = new Recorder();
        r.consumer = broker.consume(ALICE, from, options, r);
        return r;
    }

    /** Records what a push consumer receives. */
    static final class Recorder implements DeliveryListener {
        final List<Delivery> deliveries = Collections.synchronizedList(new ArrayList<>());
        volatile CloseReason closed;
        io.mom.core.Consumer consumer;

        @Override
        public void onDelivery(Delivery delivery) {
            deliveries.add(delivery);
        }

        @Override
        public void onClosed(CloseReason reason) {
            closed = reason;
        }

        List<String> texts() {
            synchronized (deliveries) {
                return BrokerFixture.texts(deliveries);
            }
        }

        List<Delivery> snapshot() {
            synchronized (deliveries) {
                return List.copyOf(deliveries);
            }
        }
    }
}
