package io.mom.transport.rest.internal.json;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import io.mom.core.MomException;

import java.io.IOException;
import java.math.BigDecimal;
import java.io.InputStreamReader;
import java.io.ByteArrayInputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Parses request bodies as strict RFC 8259 JSON: no comments, unquoted names or trailing data, no
 * duplicate member names, at most {@value #MAX_DEPTH} levels of nesting, valid UTF-8 only. Any
 * violation is {@code INVALID_REQUEST}. Stateless.
 */
public final class StrictJson {
    static final int MAX_DEPTH = 32;

    private StrictJson() {
    }

    /** The body as a JSON object; an empty body is an empty object when {@code emptyAllowed}. */
    public static JsonObject object(byte[] body, boolean emptyAllowed) {
        if (isBlank(body)) {
            if (emptyAllowed) {
                return new JsonObject();
            }
            throw MomException.invalid("a JSON object body is required");
        }
        JsonElement e = parse(body);
        if (!e.isJsonObject()) {
            throw MomException.invalid("the body must be a JSON object");
        }
        return e.getAsJsonObject();
    }

    static JsonElement parse(byte[] body) {
        var decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        try (JsonReader reader = new JsonReader(new InputStreamReader(new ByteArrayInputStream(body), decoder))) {
            reader.setStrictness(Strictness.STRICT);
            JsonElement root = read(reader, 0);
            if (reader.peek() != JsonToken.END_DOCUMENT) {
                throw MomException.invalid("malformed JSON: unexpected data after the value");
            }
            return root;
        } catch (CharacterCodingException e) {
            throw MomException.invalid("the body is not valid UTF-8");
        } catch (IOException | IllegalStateException | NumberFormatException e) {
            // Gson's messages point into the document; they hold no server state but may echo input.
            throw MomException.invalid("malformed JSON");
        }
    }

    private static JsonElement read(JsonReader in, int depth) throws IOException {
        if (depth > MAX_DEPTH) {
            throw MomException.invalid("JSON nested deeper than " + MAX_DEPTH + " levels");
        }
        JsonToken token = in.peek();
        switch (token) {
            case BEGIN_OBJECT: {
                JsonObject o = new JsonObject();
                in.beginObject();
                while (in.hasNext()) {
                    String name = in.nextName();
                    if (o.has(name)) {
                        throw MomException.invalid("duplicate field " + Fields.quote(name));
                    }
                    o.add(name, read(in, depth + 1));
                }
                in.endObject();
                return o;
            }
            case BEGIN_ARRAY: {
                JsonArray a = new JsonArray();
                in.beginArray();
                while (in.hasNext()) {
                    a.add(read(in, depth + 1));
                }
                in.endArray();
                return a;
            }
            case STRING:
                return new JsonPrimitive(in.nextString());
            case NUMBER:
                return new JsonPrimitive(new BigDecimal(in.nextString()));
            case BOOLEAN:
                return new JsonPrimitive(in.nextBoolean());
            case NULL:
                in.nextNull();
                return JsonNull.INSTANCE;
            default:
                throw MomException.invalid("malformed JSON");
        }
    }

    private static boolean isBlank(byte[] body) {
        for (byte b : body) {
            if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
                return false;
            }
        }
        return true;
    }
}
