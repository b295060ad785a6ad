package io.mom.transport.rest.internal.json;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import io.mom.core.MomException;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Typed, explicit access to the members of a request object. Construction rejects members that are
 * not allowed; each getter rejects a wrong type or an out-of-range number with
 * {@code INVALID_REQUEST} naming the field (with its path, such as {@code messages[2].ttlMs}). An
 * explicit JSON {@code null} counts as absent. Not thread-safe; one per request object.
 */
public final class Fields {
    private static final int MAX_QUOTED = 64;

    private final JsonObject object;
    private final String path;

    private Fields(JsonObject object, String path) {
        this.object = object;
        this.path = path;
    }

    /**
     * Wraps an object whose members must all be among {@code allowed}.
     *
     * @param path prefix for field names in messages ({@code ""} at the top level, else ending in '.')
     */
    public static Fields of(JsonObject object, String path, Set<String> allowed) {
        for (String name : object.keySet()) {
            if (!allowed.contains(name)) {
                throw MomException.invalid("unknown field " + quote(path + name));
            }
        }
        return new Fields(object, path);
    }

    /** Wraps a JSON value that must be an object. */
    public static Fields of(JsonElement element, String path, Set<String> allowed) {
        if (element == null || !element.isJsonObject()) {
            throw MomException.invalid(quote(trimDot(path)) + " must be a JSON object");
        }
        return of(element.getAsJsonObject(), path, allowed);
    }

    public boolean has(String name) {
        JsonElement e = object.get(name);
        return e != null && !e.isJsonNull();
    }

    public String requiredString(String name) {
        return optionalString(name).orElseThrow(() -> MomException.invalid(quote(path + name) + " is required"));
    }

    public Optional<String> optionalString(String name) {
        JsonElement e = object.get(name);
        if (e == null || e.isJsonNull()) {
            return Optional.empty();
        }
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
            throw MomException.invalid(quote(path + name) + " must be a string");
        }
        return Optional.of(e.getAsString());
    }

    public Optional<Boolean> optionalBoolean(String name) {
        JsonElement e = object.get(name);
        if (e == null || e.isJsonNull()) {
            return Optional.empty();
        }
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isBoolean()) {
            throw MomException.invalid(quote(path + name) + " must be true or false");
        }
        return Optional.of(e.getAsBoolean());
    }

    /** An integer in {@code [min, max]}; fractions, exponents beyond the range and strings are rejected. */
    public Optional<Long> optionalLong(String name, long min, long max) {
        JsonElement e = object.get(name);
        if (e == null || e.isJsonNull()) {
            return Optional.empty();
        }
        String range = " must be an integer between " + min + " and " + max;
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) {
            throw MomException.invalid(quote(path + name) + range);
        }
        BigDecimal value = new BigDecimal(e.getAsJsonPrimitive().getAsString());
        if (value.abs().compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
            throw MomException.invalid(quote(path + name) + range);
        }
        long exact;
        try {
            exact = value.longValueExact();
        } catch (ArithmeticException fraction) {
            throw MomException.invalid(quote(path + name) + range);
        }
        if (exact < min || exact > max) {
            throw MomException.invalid(quote(path + name) + range);
        }
        return Optional.of(exact);
    }

    public Optional<Integer> optionalInt(String name, int min, int max) {
        return optionalLong(name, min, max).map(Long::intValue);
    }

    public Optional<JsonArray> optionalArray(String name) {
        JsonElement e = object.get(name);
        if (e == null || e.isJsonNull()) {
            return Optional.empty();
        }
        if (!e.isJsonArray()) {
            throw MomException.invalid(quote(path + name) + " must be an array");
        }
        return Optional.of(e.getAsJsonArray());
    }

    /** An array of strings (no nulls), at most {@code maxItems} long. */
    public Optional<List<String>> optionalStrings(String name, int maxItems) {
        Optional<JsonArray> array = optionalArray(name);
        if (array.isEmpty()) {
            return Optional.empty();
        }
        JsonArray a = array.get();
        if (a.size() > maxItems) {
            throw MomException.invalid(quote(path + name) + " holds at most " + maxItems + " items");
        }
        List<String> out = new ArrayList<>(a.size());
        for (int i = 0; i < a.size(); i++) {
            JsonElement item = a.get(i);
            if (!item.isJsonPrimitive() || !item.getAsJsonPrimitive().isString()) {
                throw MomException.invalid(quote(path + name + "[" + i + "]") + " must be a string");
            }
            out.add(item.getAsString());
        }
        return Optional.of(out);
    }

    /** An object whose values are all strings, at most {@code maxEntries} of them. */
    public Optional<Map<String, String>> optionalStringMap(String name, int maxEntries) {
        JsonElement e = object.get(name);
        if (e == null || e.isJsonNull()) {
            return Optional.empty();
        }
        if (!e.isJsonObject()) {
            throw MomException.invalid(quote(path + name) + " must be an object of strings");
        }
        JsonObject o = e.getAsJsonObject();
        if (o.size() > maxEntries) {
            throw MomException.invalid(quote(path + name) + ": at most " + maxEntries + " allowed");
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> entry : o.entrySet()) {
            JsonElement v = entry.getValue();
            if (!v.isJsonPrimitive() || !((JsonPrimitive) v).isString()) {
                throw MomException.invalid(quote(path + name + "." + entry.getKey()) + " must be a string");
            }
            out.put(entry.getKey(), v.getAsString());
        }
        return Optional.of(out);
    }

    /** A field name as shown in messages: quoted and shortened, so client input cannot flood a message. */
    public static String quote(String name) {
        String shown = name.length() > MAX_QUOTED ? name.substring(0, MAX_QUOTED) + "..." : name;
        StringBuilder sb = new StringBuilder(shown.length() + 2).append('\'');
        for (char c : shown.toCharArray()) {
            sb.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        return sb.append('\'').toString();
    }

    private static String trimDot(String path) {
        return path.endsWith(".") ? path.substring(0, path.length() - 1) : path;
    }
}
