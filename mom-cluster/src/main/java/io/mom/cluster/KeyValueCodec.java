package io.mom.cluster;

import io.mom.core.MomException;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The compact znode data format of this module: UTF-8 lines {@code key=value}. Readers ignore keys
 * they do not know, so nodes of different versions can share a cluster. Values must not contain line
 * breaks. Stateless; thread-safe.
 */
final class KeyValueCodec {
    private KeyValueCodec() {
    }

    static byte[] encode(Map<String, String> values) {
        StringBuilder out = new StringBuilder();
        values.forEach((key, value) -> {
            if (key.indexOf('=') >= 0 || key.indexOf('\n') >= 0 || value.indexOf('\n') >= 0
                    || value.indexOf('\r') >= 0) {
                throw MomException.invalid("cannot encode '" + key + "': line breaks or '=' in key");
            }
            out.append(key).append('=').append(value).append('\n');
        });
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Decodes data written by {@link #encode}; lines without '=' are skipped; null data is empty. */
    static Map<String, String> decode(byte[] data) {
        if (data == null || data.length == 0) {
            return Collections.emptyMap();
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (String line : new String(data, StandardCharsets.UTF_8).split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                values.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return values;
    }

    static String require(Map<String, String> values, String key) {
        String value = values.get(key);
        if (value == null) {
            throw new MomException(io.mom.core.ErrorCode.INTERNAL, "cluster data lacks '" + key + "'");
        }
        return value;
    }
}
