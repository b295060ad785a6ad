package io.mom.transport.rest.testing;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * An open server-sent-event stream read on a background thread. Comments ({@code : ping}) arrive as
 * events named {@code comment}; the end of the stream as an event named {@code end}.
 */
public final class SseEvents implements AutoCloseable {
    /** One event or comment. */
    public record Event(String name, String data) {
        public JsonObject json() {
            return JsonParser.parseString(data).getAsJsonObject();
        }
    }

    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final int status;
    private final String contentType;
    private final Stream<String> lines;
    private final CompletableFuture<Void> reader;

    SseEvents(int status, String contentType, Stream<String> lines) {
        this.status = status;
        this.contentType = contentType;
        this.lines = lines;
        this.reader = CompletableFuture.runAsync(this::read);
    }

    private void read() {
        String name = null;
        StringBuilder data = new StringBuilder();
        try {
            for (String line : (Iterable<String>) lines::iterator) {
                if (line.isEmpty()) {
                    if (name != null || data.length() > 0) {
                        events.add(new Event(name == null ? "message" : name, data.toString()));
                    }
                    name = null;
                    data.setLength(0);
                } else if (line.startsWith(":")) {
                    events.add(new Event("comment", line.substring(1).trim()));
                } else if (line.startsWith("event:")) {
                    name = line.substring(6).trim();
                } else if (line.startsWith("data:")) {
                    if (data.length() > 0) {
                        data.append('\n');
                    }
                    data.append(line.substring(5).trim());
                }
            }
        } catch (RuntimeException e) {
            // the stream was closed under us
        }
        events.add(new Event("end", ""));
    }

    public int status() {
        return status;
    }

    public String contentType() {
        return contentType;
    }

    /** The next event that is not a comment, waiting up to {@code timeout}; null if none came. */
    public Event next(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Event e = events.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (e == null || !e.name().equals("comment")) {
                return e;
            }
        }
    }

    /** The next event of any kind, comments included; null if none came within {@code timeout}. */
    public Event nextIncludingComments(Duration timeout) throws InterruptedException {
        return events.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    public void close() {
        lines.close();
    }
}
