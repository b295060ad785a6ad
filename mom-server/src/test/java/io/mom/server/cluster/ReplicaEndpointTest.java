package io.mom.server.cluster;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.mom.cluster.ClusterSettings;
import io.mom.cluster.ZkCluster;
import io.mom.core.DestinationOptions;
import io.mom.core.DestinationType;
import io.mom.core.Message;
import io.mom.core.memory.InMemoryMessageStore;
import io.mom.core.spi.DestinationRecord;
import io.mom.core.spi.LogOp;
import io.mom.core.spi.RecoveredMessage;
import io.mom.core.spi.RecoveryVisitor;
import io.mom.core.spi.SubscriptionRecord;
import io.mom.grpc.internal.v1.ReplicateRequest;
import io.mom.grpc.internal.v1.ReplicateResponse;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/** A replica applies batches in order, rejects stale epochs and sequence gaps, and round-trips every log operation. */
class ReplicaEndpointTest {
    private TestingServer zk;
    private ZkCluster cluster;
    private final InMemoryMessageStore store = new InMemoryMessageStore();
    private ReplicaEndpoint endpoint;

    @BeforeEach
    void start() throws Exception {
        zk = new TestingServer(true);
        cluster = ZkCluster.start(ClusterSettings.builder().zkConnect(zk.getConnectString()).nodeId("replica")
                .clusterName("replica-test").build());
        endpoint = new ReplicaEndpoint(store);
        endpoint.bind(cluster, new PeerToken("a-cluster-secret-of-enough-length".getBytes(StandardCharsets.UTF_8),
                Clock.systemUTC()), PeerTls.off());
    }

    @AfterEach
    void stop() throws Exception {
        cluster.close();
        zk.close();
    }

    private Status replicate(long epoch, long sequence, List<LogOp> ops) {
        CompletableFuture<Status> done = new CompletableFuture<>();
        endpoint.replicate(ReplicateRequest.newBuilder().setDestination("q").setEpoch(epoch).setSequence(sequence)
                .setLeader("leader").setOps(ByteString.copyFrom(LogOpCodec.encode(ops))).build(),
                new StreamObserver<ReplicateResponse>() {
                    @Override
                    public void onNext(ReplicateResponse value) {
                    }

                    @Override
                    public void onError(Throwable t) {
                        done.complete(Status.fromThrowable(t));
                    }

                    @Override
                    public void onCompleted() {
                        done.complete(Status.OK);
                    }
                });
        return done.join();
    }

    private static LogOp append(long sequence) {
        Message m = new Message("id-" + sequence, "q", 0, sequence, ("p" + sequence).getBytes(StandardCharsets.UTF_8),
                Map.of("h", "v"), Optional.of("k"), "alice", Instant.ofEpochSecond(100, 5),
                Optional.of(Instant.ofEpochSecond(200)));
        return new LogOp.Append(m, List.of("$queue"));
    }

    private List<Long> storedSequences() {
        List<Long> sequences = new ArrayList<>();
        store.recover(new RecoveryVisitor() {
            @Override
            public void destination(DestinationRecord destination) {
            }

            @Override
            public void subscription(SubscriptionRecord subscription) {
            }

            @Override
            public void message(RecoveredMessage message) {
                sequences.add(message.message().sequence());
            }
        });
        return sequences;
    }

    @Test
    void batchesInOrderAreAppliedAndGapsAndStaleEpochsAreRejected() {
        LogOp create = new LogOp.PutDestination(new DestinationRecord(DestinationType.QUEUE, "q", "alice",
                DestinationOptions.DEFAULTS, Instant.ofEpochSecond(1)));
        assertThat(replicate(2, 1, List.of(create, append(1))).getCode()).isEqualTo(Status.Code.OK);
        assertThat(replicate(2, 2, List.of(append(2))).getCode()).isEqualTo(Status.Code.OK);

        assertThat(replicate(2, 4, List.of(append(4))).getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
        assertThat(replicate(1, 3, List.of(append(3))).getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
        assertThat(storedSequences()).containsExactly(1L, 2L);

        assertThat(replicate(3, 1, List.of(append(5))).getCode()).isEqualTo(Status.Code.OK);
        assertThat(storedSequences()).containsExactly(1L, 2L, 5L);
    }

    private static ReplicateRequest batch(long epoch, long sequence, List<LogOp> ops) {
        return ReplicateRequest.newBuilder().setDestination("q").setEpoch(epoch).setSequence(sequence)
                .setLeader("leader").setOps(LogOpCodec.encodeToByteString(ops)).build();
    }

    @Test
    void aStreamAnswersEachBatchInOrderAndEndsAtTheFirstRefusedOne() {
        List<Long> answered = new ArrayList<>();
        CompletableFuture<Status> ended = new CompletableFuture<>();
        StreamObserver<ReplicateRequest> stream = endpoint.replicateStream(new StreamObserver<>() {
            @Override
            public void onNext(ReplicateResponse value) {
                answered.add(value.getSequence());
            }

            @Override
            public void onError(Throwable t) {
                ended.complete(Status.fromThrowable(t));
            }

            @Override
            public void onCompleted() {
                ended.complete(Status.OK);
            }
        });
        LogOp create = new LogOp.PutDestination(new DestinationRecord(DestinationType.QUEUE, "q", "alice",
                DestinationOptions.DEFAULTS, Instant.ofEpochSecond(1)));
        stream.onNext(batch(2, 1, List.of(create, append(1))));
        stream.onNext(batch(2, 2, List.of(append(2))));
        stream.onNext(batch(2, 3, List.of(append(3))));
        stream.onNext(batch(2, 5, List.of(append(5))));
        stream.onNext(batch(2, 6, List.of(append(6))));

        assertThat(ended.join().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
        assertThat(answered).containsExactly(1L, 2L, 3L);
        assertThat(storedSequences()).containsExactly(1L, 2L, 3L);
    }

    @Test
    void aStreamThatTheLeaderEndsIsCompletedAfterItsLastAnswer() {
        List<Long> answered = new ArrayList<>();
        CompletableFuture<Status> ended = new CompletableFuture<>();
        StreamObserver<ReplicateRequest> stream = endpoint.replicateStream(new StreamObserver<>() {
            @Override
            public void onNext(ReplicateResponse value) {
                answered.add(value.getSequence());
            }

            @Override
            public void onError(Throwable t) {
                ended.complete(Status.fromThrowable(t));
            }

            @Override
            public void onCompleted() {
                ended.complete(Status.OK);
            }
        });
        LogOp create = new LogOp.PutDestination(new DestinationRecord(DestinationType.QUEUE, "q", "alice",
                DestinationOptions.DEFAULTS, Instant.ofEpochSecond(1)));
        stream.onNext(batch(4, 1, List.of(create, append(1))));
        stream.onNext(batch(4, 2, List.of(append(2))));
        stream.onCompleted();

        assertThat(ended.join().getCode()).isEqualTo(Status.Code.OK);
        assertThat(answered).containsExactly(1L, 2L);
    }

    @Test
    void everyLogOperationSurvivesTheEncoding() {
        List<LogOp> ops = List.of(
                new LogOp.PutDestination(new DestinationRecord(DestinationType.TOPIC, "t", "alice",
                        DestinationOptions.builder().partitions(3).ttl(java.time.Duration.ofSeconds(9)).maxLength(7L)
                                .build(), Instant.ofEpochSecond(1, 2))),
                new LogOp.PutSubscription(new SubscriptionRecord("t", "s", "bob",
                        io.mom.core.SubscriptionOptions.of(java.time.Duration.ofSeconds(5), 3), Instant.ofEpochSecond(3))),
                new LogOp.Ack("t", "s", 1, 9), new LogOp.Remove("t", 2, 10),
                new LogOp.DeliveryCount("t", "s", 0, 11, 4), new LogOp.DeleteSubscription("t", "s"),
                new LogOp.DeleteDestination(DestinationType.TOPIC, "t"));
        assertThat(LogOpCodec.decode(LogOpCodec.encode(ops))).isEqualTo(ops);
        assertThat(LogOpCodec.decode(LogOpCodec.encodeToByteString(ops))).isEqualTo(ops);
        LogOp.Append a = (LogOp.Append) append(1);
        LogOp.Append back = (LogOp.Append) LogOpCodec.decode(LogOpCodec.encode(List.of(a))).get(0);
        assertThat(back.message().payload()).isEqualTo(a.message().payload());
        assertThat(back.message()).usingRecursiveComparison().ignoringFields("payload").isEqualTo(a.message());
        assertThat(back.subscriptions()).isEqualTo(a.subscriptions());
    }
}
