package io.mom.client.impl.rest;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;

/**
 * Reads Server-Sent Events (the WHATWG "event stream" format) from a byte stream: lines ending in
 * CR, LF or CRLF; {@code event:} and {@code data:} fields (several {@code data:} lines join with LF);
 * comment lines starting with {@code :} (keep-alives) ignored; an event is dispatched at a blank line
 * and only when it has data. {@code id:} and {@code retry:} are accepted and ignored: the stream
 * resumes by redelivery, not by event id. Single-threaded.
 */
final class SseReader {

    /**
     * One event.
     *
     * @param type the {@code event:} field, {@code message} when absent
     * @param data the joined {@code data:} lines
     */
    record Event(String type, String data) {
        Event {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(data, "data");
        }
    }

    private final BufferedReader reader;
    private boolean first = true;

    SseReader(InputStream in) {
        this.reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    }

    /** The next event; empty at the end of the stream (an unterminated last event is discarded, as the format says). */
    Optional<Event> next() throws IOException {
        String type = null;
        StringBuilder data = null;
        while (true) {
            String line = reader.readLine();
            if (line == null) {
                return Optional.empty();
            }
            if (first) {
                first = false;
                if (line.startsWith("\uFEFF")) {
                    line = line.substring(1);
                }
            }
            if (line.isEmpty()) {
                if (data != null) {
                    return Optional.of(new Event(type == null || type.isEmpty() ? "message" : type, data.toString()));
                }
                type = null;
                continue;
            }
            if (line.charAt(0) == ':') {
                continue;
            }
            int colon = line.indexOf(':');
            String field = colon < 0 ? line : line.substring(0, colon);
            String value = colon < 0 ? "" : line.substring(colon + 1);
            if (value.startsWith(" ")) {
                value = value.substring(1);
            }
            if ("event".equals(field)) {
                type = value;
            } else if ("data".equals(field)) {
                if (data == null) {
                    data = new StringBuilder(value);
                } else {
                    data.append('\n').append(value);
                }
            }
        }
    }
}
