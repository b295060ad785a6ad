package io.mom.transport.grpc;

import com.google.protobuf.ByteString;
import io.mom.core.DestinationOptions;
import io.mom.core.DestinationRef;
import io.grpc.stub.StreamObserver;
import io.mom.grpc.v1.Credit;
import io.mom.grpc.v1.OutgoingMessage;
import io.mom.grpc.v1.Settle;
import io.mom.grpc.v1.SubscribeRequest;
import io.mom.grpc.v1.SubscribeResponse;
import io.mom.grpc.v1.SubscribeStart;
import io.mom.grpc.v1.PublishStreamRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.mom.transport.grpc.GrpcFixture.ALICE;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Loopback throughput of PublishStream and Subscribe over an in-memory broker; a measurement, not a
 * check, so it runs only with {@code -Dmom.grpc.probe=true}.
 */
@EnabledIfSystemProperty(named = "mom.grpc.probe", matches = "true")
class ThroughputProbe {
    private static final Logger log = LoggerFactory.getLogger(ThroughputProbe.class);
    private static final int MESSAGES = 100_000;

    @Test
    void publishStreamThenSubscribe() throws Exception {
        try (GrpcFixture fx = new GrpcFixture()) {
            fx.broker.declare(ALICE, DestinationRef.queue("probe"), DestinationOptions.DEFAULTS);
            ByteString payload = ByteString.copyFrom(new byte[100]);

            PublishStreamClient producer = new PublishStreamClient(fx.messagingAsync(fx.aliceToken), 1000);
            long start = System.nanoTime();
            for (long i = 0; i < MESSAGES; i++) {
                producer.send(PublishStreamRequest.newBuilder().setCorrelationId(i)
                        .setDestination(GrpcFixture.queue("probe"))
                        .addMessages(OutgoingMessage.newBuilder().setPayload(payload)).build());
            }
            producer.finish();
            producer.awaitEnd();
            double publishSeconds = (System.nanoTime() - start) / 1e9;
            assertThat(producer.answers).hasSize(MESSAGES);

            start = System.nanoTime();
            PublishStreamClient batcher = new PublishStreamClient(fx.messagingAsync(fx.aliceToken), 100);
            PublishStreamRequest.Builder batch100 = PublishStreamRequest.newBuilder()
                    .setDestination(GrpcFixture.queue("probe-batch"));
            for (int i = 0; i < 100; i++) {
                batch100.addMessages(OutgoingMessage.newBuilder().setPayload(payload));
            }
            fx.broker.declare(ALICE, DestinationRef.queue("probe-batch"), DestinationOptions.DEFAULTS);
            for (long i = 0; i < MESSAGES / 100; i++) {
                batcher.send(batch100.setCorrelationId(i).build());
            }
            batcher.finish();
            batcher.awaitEnd();
            double batchSeconds = (System.nanoTime() - start) / 1e9;
            assertThat(batcher.answers).hasSize(MESSAGES / 100);

            start = System.nanoTime();
            ConcurrentLinkedQueue<String> receipts = new ConcurrentLinkedQueue<>();
            AtomicInteger settled = new AtomicInteger();
            CountDownLatch done = new CountDownLatch(1);
            StreamObserver<SubscribeRequest> requests = fx.messagingAsync(fx.bobToken).subscribe(new StreamObserver<>() {
                @Override
                public void onNext(SubscribeResponse r) {
                    if (r.hasDelivery()) {
                        receipts.add(r.getDelivery().getReceipt());
                    } else if (r.hasSettled()) {
                        settled.addAndGet(r.getSettled().getApplied());
                    }
                }

                @Override
                public void onError(Throwable t) {
                    done.countDown();
                }

                @Override
                public void onCompleted() {
                    done.countDown();
                }
            });
            requests.onNext(SubscribeRequest.newBuilder().setStart(SubscribeStart.newBuilder()
                    .setSource(GrpcFixture.queueSource("probe")).setInitialCredit(1000)).build());
            int acked = 0;
            long correlation = 0;
            while (acked < MESSAGES) {
                GrpcFixture.soon().until(() -> receipts.size() >= 200 || settled.get() + receipts.size() >= MESSAGES);
                List<String> batch = new ArrayList<>();
                String r;
                while ((r = receipts.poll()) != null) {
                    batch.add(r);
                }
                requests.onNext(SubscribeRequest.newBuilder().setAck(Settle.newBuilder()
                        .setCorrelationId(correlation++).addAllReceipts(batch)).build());
                requests.onNext(SubscribeRequest.newBuilder().setCredit(Credit.newBuilder()
                        .setCredits(batch.size())).build());
                acked += batch.size();
            }
            GrpcFixture.soon().until(() -> settled.get() == MESSAGES);
            double consumeSeconds = (System.nanoTime() - start) / 1e9;
            requests.onCompleted();
            assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();

            log.warn("probe publishStream(1/request) rate={}/s; publishStream(100/request) rate={}/s; "
                            + "subscribe+ack messages={} seconds={} rate={}/s",
                    Math.round(MESSAGES / publishSeconds), Math.round(MESSAGES / batchSeconds),
                    MESSAGES, String.format("%.2f", consumeSeconds), Math.round(MESSAGES / consumeSeconds));
        }
    }
}
