package io.mom.examples;

import io.mom.core.AckResult;
import io.mom.core.Broker;
import io.mom.core.CloseReason;
import io.mom.core.Consumer;
import io.mom.core.ConsumerOptions;
import io.mom.core.Delivery;
import io.mom.core.DeliveryListener;
import io.mom.core.DestinationOptions;
import io.mom.core.DestinationRef;
import io.mom.core.Identity;
import io.mom.core.OutgoingMessage;
import io.mom.core.ReceiveRequest;
import io.mom.core.SubscriptionRef;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A broker inside the application, no server and no sockets: declares a queue, publishes five
 * messages, pulls two and acks them, then attaches a push consumer that acks the other three.
 *
 * <pre>java -jar mom-examples.jar embedded</pre>
 */
public final class EmbeddedExample {
    private EmbeddedExample() {
    }

    public static void main(String[] args) throws InterruptedException {
        System.exit(run(System.out));
    }

    /** Runs the example, printing to {@code out}; returns the exit code (0 when every message was acked). */
    public static int run(PrintStream out) throws InterruptedException {
        try (Broker broker = Broker.builder().build().start()) {
            Identity me = Identity.user("app");
            DestinationRef orders = DestinationRef.queue("orders");
            broker.declare(me, orders, DestinationOptions.DEFAULTS);
            for (int i = 1; i <= 5; i++) {
                broker.publish(me, orders, OutgoingMessage.of("order " + i)).join();
            }

            // Pull: up to 2 messages, waiting up to 1 s for the first; then ack them.
            SubscriptionRef queue = SubscriptionRef.queue("orders");
            List<Delivery> pulled = broker.receive(me, queue, ReceiveRequest.of(2, Duration.ofSeconds(1))).join();
            pulled.forEach(d -> out.println("pulled " + text(d)));
            AckResult acked = broker.ack(me, queue, pulled.stream().map(d -> d.receipt().orElseThrow()).toList()).join();

            // Push: the broker hands each delivery to the listener; the listener acks without blocking.
            CountDownLatch rest = new CountDownLatch(3);
            DeliveryListener listener = new DeliveryListener() {
                @Override
                public void onDelivery(Delivery d) {
                    out.println("pushed " + text(d));
                    broker.ack(me, queue, List.of(d.receipt().orElseThrow())).thenRun(rest::countDown);
                }

                @Override
                public void onClosed(CloseReason reason) {
                    out.println("consumer closed: " + reason);
                }
            };
            try (Consumer consumer = broker.consume(me, queue, ConsumerOptions.clientAck(10), listener)) {
                boolean all = rest.await(10, TimeUnit.SECONDS);
                out.println("acked " + (acked.applied() + 3 - rest.getCount()) + " of 5 messages");
                return all && acked.applied() == 2 ? 0 : 1;
            }
        }
    }

    private static String text(Delivery d) {
        return new String(d.message().payload(), StandardCharsets.UTF_8);
    }
}
