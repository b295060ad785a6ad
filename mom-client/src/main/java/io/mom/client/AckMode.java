package io.mom.client;

/** How deliveries of a pull or push consumer are acknowledged. */
public enum AckMode {
    /**
     * The application acks each message ({@link Message#ack()}); an unacked delivery whose lease
     * expires, that is nacked, or whose stream ends is delivered again (at-least-once).
     */
    CLIENT,
    /** The server considers a message acked as soon as it is delivered (at-most-once); no receipts. */
    AUTO
}
