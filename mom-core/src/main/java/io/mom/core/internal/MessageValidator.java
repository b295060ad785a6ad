package io.mom.core.internal;

import io.mom.core.ErrorCode;
import io.mom.core.Limits;
import io.mom.core.MomException;
import io.mom.core.OutgoingMessage;

import java.util.List;
import java.util.Map;

/** Checks published messages against the limits before anything is stored. Stateless. */
final class MessageValidator {
    static final int MAX_ID_LENGTH = 200;
    static final int MAX_KEY_LENGTH = 1024;
    static final int MAX_HEADER_NAME = 256;
    static final int MAX_HEADER_VALUE = 8192;

    private final Limits limits;

    MessageValidator(Limits limits) {
        this.limits = limits;
    }

    void checkBatch(List<OutgoingMessage> messages) {
        if (messages == null || messages.isEmpty()) {
            throw MomException.invalid("messages must not be empty");
        }
        if (messages.size() > limits.maxBatch()) {
            throw new MomException(ErrorCode.PAYLOAD_TOO_LARGE,
                    "a batch holds at most " + limits.maxBatch() + " messages");
        }
        for (int i = 0; i < messages.size(); i++) {
            check(messages.get(i), messages.size() == 1 ? "" : "messages[" + i + "].");
        }
    }

    void check(OutgoingMessage m, String field) {
        if (m == null) {
            throw MomException.invalid(field + "message must not be null");
        }
        if (m.payload().length > limits.maxPayloadBytes()) {
            throw new MomException(ErrorCode.PAYLOAD_TOO_LARGE,
                    field + "payload exceeds " + limits.maxPayloadBytes() + " bytes");
        }
        if (m.headers().size() > limits.maxHeaders()) {
            throw MomException.invalid(field + "headers: at most " + limits.maxHeaders() + " allowed");
        }
        for (Map.Entry<String, String> h : m.headers().entrySet()) {
            if (h.getKey().isEmpty() || h.getKey().length() > MAX_HEADER_NAME) {
                throw MomException.invalid(field + "headers: names must have 1.." + MAX_HEADER_NAME + " characters");
            }
            if (h.getValue().length() > MAX_HEADER_VALUE) {
                throw MomException.invalid(field + "headers." + h.getKey() + " exceeds " + MAX_HEADER_VALUE
                        + " characters");
            }
        }
        m.id().ifPresent(id -> {
            if (id.isBlank() || id.length() > MAX_ID_LENGTH) {
                throw MomException.invalid(field + "id must have 1.." + MAX_ID_LENGTH + " characters");
            }
        });
        m.key().ifPresent(key -> {
            if (key.length() > MAX_KEY_LENGTH) {
                throw MomException.invalid(field + "key exceeds " + MAX_KEY_LENGTH + " characters");
            }
        });
        m.ttl().ifPresent(ttl -> {
            if (ttl.toMillis() < 1) {
                throw MomException.invalid(field + "ttlMs must be at least 1");
            }
        });
    }

    static void checkReceipts(List<String> receipts, int max) {
        if (receipts == null || receipts.isEmpty()) {
            throw MomException.invalid("receipts must not be empty");
        }
        if (receipts.size() > max) {
            throw MomException.invalid("receipts: at most " + max + " per call");
        }
        for (String r : receipts) {
            if (r == null) {
                throw MomException.invalid("receipts must not contain null");
            }
        }
    }
}
