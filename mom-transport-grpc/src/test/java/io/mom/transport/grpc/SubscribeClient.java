package io.mom.transport.grpc;

import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.mom.grpc.v1.CloseReason;
import io.mom.grpc.v1.Credit;
import io.mom.grpc.v1.Message;
import io.mom.grpc.v1.MessagingServiceGrpc;
import io.mom.grpc.v1.Settle;
import io.mom.grpc.v1.Settled;
import io.mom.grpc.v1.SubscribeRequest;
import io.mom.grpc.v1.SubscribeResponse;
import io.mom.grpc.v1.SubscribeStart;
import io.mom.grpc.v1.SubscriptionRef;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.awaitility.Awaitility.await;

/** The client side of one {@code Subscribe} stream, recording everything the server sends. */
final class SubscribeClient implements ClientResponseObserver<SubscribeRequest, SubscribeResponse> {
    final List<Message> deliveries = new CopyOnWriteArrayList<>();
    final List<Settled> settled = new CopyOnWriteArrayList<>();
    final List<SubscribeResponse> events = new CopyOnWriteArrayList<>();
    private final boolean paused;
    private final AtomicBoolean ended = new AtomicBoolean();
    private volatile ClientCallStreamObserver<SubscribeRequest> requests;
    private volatile CloseReason closedReason;
    private volatile Throwable error;
    private volatile long consumerId = -1;

    private SubscribeClient(boolean paused) {
        this.paused = paused;
    }

    /** Opens a stream and sends its start message. */
    static SubscribeClient open(MessagingServiceGrpc.MessagingServiceStub stub, SubscriptionRef source, int credit,
                                boolean autoAck) {
        return open(stub, source, credit, autoAck, false);
    }

    /**
     * Opens a stream; when {@code paused} the client reads no server message until {@link #read(int)}, so
     * the server sees a consumer that does not keep up.
     */
    static SubscribeClient open(MessagingServiceGrpc.MessagingServiceStub stub, SubscriptionRef source, int credit,
                                boolean autoAck, boolean paused) {
        SubscribeClient client = new SubscribeClient(paused);
        stub.subscribe(client);
        client.send(SubscribeRequest.newBuilder().setStart(SubscribeStart.newBuilder()
                .setSource(source).setInitialCredit(credit).setAutoAck(autoAck)).build());
        return client;
    }

    @Override
    public void beforeStart(ClientCallStreamObserver<SubscribeRequest> requestStream) {
        this.requests = requestStream;
        if (paused) {
            requestStream.disableAutoRequestWithInitial(0);
        }
    }

    synchronized void send(SubscribeRequest request) {
        requests.onNext(request);
    }

    void credit(int credits) {
        send(SubscribeRequest.newBuilder().setCredit(Credit.newBuilder().setCredits(credits)).build());
    }

    void ack(long correlation, List<String> receipts) {
        send(SubscribeRequest.newBuilder().setAck(Settle.newBuilder().setCorrelationId(correlation)
                .addAllReceipts(receipts)).build());
    }

    void nack(long correlation, List<String> receipts) {
        send(SubscribeRequest.newBuilder().setNack(Settle.newBuilder().setCorrelationId(correlation)
                .addAllReceipts(receipts)).build());
    }

    /** Lets a paused client read {@code messages} more server messages. */
    void read(int messages) {
        requests.request(messages);
    }

    synchronized void cancel() {
        requests.cancel("test cancels", null);
    }

    synchronized void halfClose() {
        requests.onCompleted();
    }

    @Override
    public void onNext(SubscribeResponse response) {
        events.add(response);
        switch (response.getKindCase()) {
            case SUBSCRIBED -> consumerId = response.getSubscribed().getConsumerId();
            case DELIVERY -> deliveries.add(response.getDelivery());
            case SETTLED -> settled.add(response.getSettled());
            case CLOSED -> closedReason = response.getClosed().getReason();
            default -> throw new AssertionError("unexpected " + response);
        }
    }

    @Override
    public void onError(Throwable t) {
        error = t;
        ended.set(true);
    }

    @Override
    public void onCompleted() {
        ended.set(true);
    }

    void awaitSubscribed() {
        await().until(() -> consumerId >= 0 || ended.get());
        if (consumerId < 0) {
            throw new AssertionError("stream ended before it was subscribed", error);
        }
    }

    void awaitDeliveries(int count) {
        await().until(() -> deliveries.size() >= count || ended.get());
    }

    void awaitEnd() {
        await().until(ended::get);
    }

    boolean isEnded() {
        return ended.get();
    }

    CloseReason closedReason() {
        return closedReason;
    }

    Throwable error() {
        return error;
    }

    List<String> receipts() {
        return deliveries.stream().map(Message::getReceipt).toList();
    }
}
