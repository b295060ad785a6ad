package io.mom.client.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** One open event stream of a {@link FakeServer}: the test writes raw SSE text or ends it. */
public final class SseConnection {
    private static final String END = "\u0000end";

    private final FakeServer.Request request;
    private final BlockingQueue<String> chunks = new LinkedBlockingQueue<>();
    private volatile boolean clientGone;
    private volatile boolean muted;

    SseConnection(FakeServer.Request request) {
        this.request = request;
    }

    /** The request that opened the stream. */
    public FakeServer.Request request() {
        return request;
    }

    /** Writes raw SSE text (flushed at once). */
    public SseConnection send(String raw) {
        chunks.add(raw);
        return this;
    }

    /** Sends one {@code message} event carrying the given JSON. */
    public SseConnection message(String json) {
        return send("event: message\ndata: " + json + "\n\n");
    }

    /** Sends the {@code deleted} event. */
    public SseConnection deleted(String destination) {
        return send("event: deleted\ndata: {\"destination\":\"" + destination + "\"}\n\n");
    }

    /** Stops the keep-alive comments, as a connection that died silently. */
    public void mute() {
        muted = true;
    }

    /** Ends the response, as a server does when it drops a stream. */
    public void end() {
        chunks.add(END);
    }

    /** True once a write failed because the client went away. */
    public boolean clientGone() {
        return clientGone;
    }

    void pump(OutputStream out) {
        try {
            while (true) {
                String chunk = chunks.poll(50, TimeUnit.MILLISECONDS);
                if (chunk == null) {
                    if (muted) {
                        continue;
                    }
                    // a comment as keep-alive also detects a client that went away
                    out.write(":\n".getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    continue;
                }
                if (END.equals(chunk)) {
                    out.close();
                    return;
                }
                out.write(chunk.getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
        } catch (IOException e) {
            clientGone = true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
