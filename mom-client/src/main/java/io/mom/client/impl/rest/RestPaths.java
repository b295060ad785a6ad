package io.mom.client.impl.rest;

import io.mom.client.Destination;
import io.mom.client.Source;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;

/** Builds the request paths of API v1, percent-encoding every name so that no name can change the path. */
final class RestPaths {
    private RestPaths() {
    }

    /** {@code /v1/queues/{name}} or {@code /v1/topics/{name}}. */
    static String destination(Destination d) {
        return collection(d.isQueue()) + "/" + segment(d.name());
    }

    /** {@code /v1/queues} or {@code /v1/topics}. */
    static String collection(boolean queues) {
        return queues ? "/v1/queues" : "/v1/topics";
    }

    /** {@code /v1/queues/{name}} or {@code /v1/topics/{topic}/subscriptions/{sub}}: where receive, ack, nack and stream hang. */
    static String source(Source s) {
        String base = destination(s.destination());
        return s.subscription().map(sub -> base + "/subscriptions/" + segment(sub)).orElse(base);
    }

    /** {@code /v1/topics/{topic}/subscriptions/{sub}}. */
    static String subscription(String topic, String subscription) {
        return "/v1/topics/" + segment(topic) + "/subscriptions/" + segment(subscription);
    }

    /** {@code /v1/users/{username}}. */
    static String user(String username) {
        return "/v1/users/" + segment(username);
    }

    /** A query string ({@code ?a=1&b=2}, or empty) of the non-null parameters, in order. */
    static String query(Map<String, ?> params) {
        StringJoiner j = new StringJoiner("&", "?", "");
        j.setEmptyValue("");
        params.forEach((k, v) -> {
            if (v != null) {
                j.add(URLEncoder.encode(k, StandardCharsets.UTF_8) + "=" + URLEncoder.encode(v.toString(), StandardCharsets.UTF_8));
            }
        });
        return j.toString();
    }

    /** Parameters in insertion order, allowing null values (which {@link #query} skips). */
    static Map<String, Object> params(Object... keyValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i + 1 < keyValues.length; i += 2) {
            m.put((String) keyValues[i], keyValues[i + 1]);
        }
        return m;
    }

    /**
     * One path segment: unreserved characters kept, every other UTF-8 byte percent-encoded (and the
     * dots of an all-dots name, which would otherwise read as {@code .} or {@code ..}).
     */
    static String segment(String s) {
        boolean dotsOnly = s.chars().allMatch(ch -> ch == '.');
        StringBuilder out = new StringBuilder(s.length());
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xFF;
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                    || c == '-' || c == '.' && !dotsOnly || c == '_' || c == '~') {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xF, 16)));
            }
        }
        return out.toString();
    }
}
