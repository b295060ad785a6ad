package io.mom.examples;

import io.mom.client.Destination;
import io.mom.client.Message;
import io.mom.client.Source;
import io.mom.client.SubscribeOptions;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Every push-subscription test of {@link SubscriptionEndToEndTest} again over a gRPC Subscribe stream. */
class GrpcSubscriptionEndToEndTest extends SubscriptionEndToEndTest {

    @Override
    String url() {
        return server.grpcUrl();
    }

    @Test
    void creditFlowNeverLetsMoreThanThePrefetchBeUnackedAndAcksLetEverythingThrough() throws InterruptedException {
        client.declare(Destination.queue("q"));
        AtomicInteger delivered = new AtomicInteger();
        AtomicInteger acked = new AtomicInteger();
        AtomicInteger maxUnacked = new AtomicInteger();
        client.subscribe(Source.queue("q"), m -> {
            maxUnacked.accumulateAndGet(delivered.incrementAndGet() - acked.get(), Math::max);
            received.add(m);
        }, SubscribeOptions.builder().prefetch(10).build());
        publish("q", 1, 200);

        ExecutorService acker = Executors.newSingleThreadExecutor();
        try {
            acker.submit(() -> {
                for (int i = 0; i < 200; i++) {
                    Message m = received.poll(30, TimeUnit.SECONDS);
                    acked.incrementAndGet(); // counted before the ack gives its credit back
                    m.ackAsync();
                }
                return null;
            });
            await().atMost(Duration.ofSeconds(60)).until(() -> acked.get() == 200);
        } finally {
            acker.shutdownNow();
        }
        assertThat(delivered).hasValue(200);
        assertThat(maxUnacked.get()).isBetween(1, 10);
        await().atMost(Duration.ofSeconds(30)).until(() -> client.describe(Destination.queue("q")).depth() == 0);
    }
}
