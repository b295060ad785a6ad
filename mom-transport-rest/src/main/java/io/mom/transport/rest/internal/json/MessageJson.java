package io.mom.transport.rest.internal.json;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.mom.core.Delivery;
import io.mom.core.ErrorCode;
import io.mom.core.Limits;
import io.mom.core.Message;
import io.mom.core.MomException;
import io.mom.core.OutgoingMessage;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Messages on the wire: publish bodies to {@link OutgoingMessage}s and {@link Delivery}s to JSON.
 * A published message carries either {@code payload} (UTF-8 text) or {@code payloadBase64}; a delivery
 * carries {@code payload} when the stored bytes are valid UTF-8, {@code payloadBase64} otherwise.
 * Immutable and thread-safe.
 */
public final class MessageJson {
    private static final Set<String> MESSAGE_FIELDS = Set.of("id", "payload", "payloadBase64", "headers", "key", "ttlMs");
    private static final Set<String> BATCH_FIELDS = Set.of("messages");

    private final Limits limits;

    public MessageJson(Limits limits) {
        this.limits = limits;
    }

    /** One message ({@code {"payload":...}}) or a batch ({@code {"messages":[...]}}), validated as a whole. */
    public List<OutgoingMessage> publishBody(JsonObject body) {
        if (!body.has("messages")) {
            return List.of(message(Fields.of(body, "", MESSAGE_FIELDS)));
        }
        Fields batch = Fields.of(body, "", BATCH_FIELDS);
        JsonArray items = batch.optionalArray("messages")
                .orElseThrow(() -> MomException.invalid("'messages' must be an array"));
        if (items.isEmpty()) {
            throw MomException.invalid("'messages' must not be empty");
        }
        if (items.size() > limits.maxBatch()) {
            throw new MomException(ErrorCode.PAYLOAD_TOO_LARGE,
                    "a batch holds at most " + limits.maxBatch() + " messages");
        }
        List<OutgoingMessage> out = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            out.add(message(Fields.of(items.get(i), "messages[" + i + "].", MESSAGE_FIELDS)));
        }
        return out;
    }

    private OutgoingMessage message(Fields f) {
        byte[] payload = payload(f);
        OutgoingMessage.Builder b = OutgoingMessage.builder(payload);
        f.optionalString("id").ifPresent(b::id);
        f.optionalStringMap("headers", limits.maxHeaders()).ifPresent(b::headers);
        f.optionalString("key").ifPresent(b::key);
        f.optionalLong("ttlMs", 1, Long.MAX_VALUE).ifPresent(ms -> b.ttl(Duration.ofMillis(ms)));
        return b.build();
    }

    private byte[] payload(Fields f) {
        boolean text = f.has("payload");
        boolean binary = f.has("payloadBase64");
        if (text == binary) {
            throw MomException.invalid("exactly one of 'payload' and 'payloadBase64' is required");
        }
        if (text) {
            String s = f.requiredString("payload");
            // Every UTF-16 unit takes at least one byte in UTF-8: skip encoding hopeless payloads.
            if (s.length() > limits.maxPayloadBytes()) {
                throw tooLarge();
            }
            byte[] bytes = encodeUtf8(s);
            if (bytes.length > limits.maxPayloadBytes()) {
                throw tooLarge();
            }
            return bytes;
        }
        String encoded = f.requiredString("payloadBase64");
        if ((long) encoded.length() / 4 * 3 > limits.maxPayloadBytes() + 3L) {
            throw tooLarge();
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(encoded);
        } catch (IllegalArgumentException e) {
            throw MomException.invalid("'payloadBase64' is not valid Base64");
        }
        if (bytes.length > limits.maxPayloadBytes()) {
            throw tooLarge();
        }
        return bytes;
    }

    private MomException tooLarge() {
        return new MomException(ErrorCode.PAYLOAD_TOO_LARGE,
                "payload exceeds " + limits.maxPayloadBytes() + " bytes");
    }

    /** A delivery as sent to consumers; {@code receipt} only when the delivery needs an ack. */
    public static JsonObject delivery(Delivery d) {
        Message m = d.message();
        JsonObject o = new JsonObject();
        o.addProperty("id", m.id());
        String text = utf8(m.payload());
        if (text != null) {
            o.addProperty("payload", text);
        } else {
            o.addProperty("payloadBase64", Base64.getEncoder().encodeToString(m.payload()));
        }
        JsonObject headers = new JsonObject();
        for (Map.Entry<String, String> h : new java.util.TreeMap<>(m.headers()).entrySet()) {
            headers.addProperty(h.getKey(), h.getValue());
        }
        o.add("headers", headers);
        m.key().ifPresent(k -> o.addProperty("key", k));
        o.addProperty("sender", m.sender());
        o.addProperty("publishedAt", m.publishedAt().toString());
        m.expiresAt().ifPresent(t -> o.addProperty("expiresAt", t.toString()));
        o.addProperty("partition", m.partition());
        o.addProperty("deliveryCount", d.deliveryCount());
        d.receipt().ifPresent(r -> o.addProperty("receipt", r));
        return o;
    }

    public static JsonObject deliveries(List<Delivery> list) {
        JsonArray items = new JsonArray(list.size());
        for (Delivery d : list) {
            items.add(delivery(d));
        }
        JsonObject o = new JsonObject();
        o.add("messages", items);
        return o;
    }

    /** The ids of a publish, in order. */
    public static JsonObject ids(List<String> ids) {
        JsonArray a = new JsonArray(ids.size());
        ids.forEach(a::add);
        JsonObject o = new JsonObject();
        o.add("ids", a);
        return o;
    }

    /** The bytes as text if they are valid UTF-8, else null. */
    static String utf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private static byte[] encodeUtf8(String s) {
        try {
            ByteBuffer b = StandardCharsets.UTF_8.newEncoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).encode(CharBuffer.wrap(s));
            byte[] out = new byte[b.remaining()];
            b.get(out);
            return out;
        } catch (CharacterCodingException e) {
            throw MomException.invalid("'payload' is not valid Unicode text (unpaired surrogate)");
        }
    }
}
