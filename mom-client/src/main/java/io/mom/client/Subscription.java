package io.mom.client;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A live push subscription created by {@link MomClient#subscribe}. While it is open the client keeps
 * a stream to the server and reconnects after a connection loss, waiting an exponentially growing,
 * jittered and capped delay between attempts (see {@link MomClientBuilder#reconnectBackoff}).
 * It ends when it is closed, when its client is closed or logs out, when the source is deleted, or
 * when the server refuses it for good.
 *
 * <p>Thread-safe. Deliveries received before a reconnect whose receipts the server has since
 * invalidated ack as not applied ({@link Message#ack()} returns {@code false}); the server redelivers them.
 */
public interface Subscription extends AutoCloseable {

    /** What this subscription consumes. */
    Source source();

    /** True until the subscription has ended, including while reconnecting. */
    boolean isActive();

    /** True while a stream is open. */
    boolean isConnected();

    /** Completes, with the reason, once the subscription has ended and its handler will not be called again. */
    CompletableFuture<CloseReason> whenClosed();

    /** The error that ended the subscription when it ended with {@link CloseReason#FAILED}. */
    Optional<MomClientException> failure();

    /**
     * Ends the subscription; idempotent. Unacked deliveries go back to the server for redelivery.
     * Waits (briefly) for a running handler call to return unless called from the handler itself.
     */
    @Override
    void close();
}
