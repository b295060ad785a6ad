package io.mom.transport.rest.internal.sse;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.IoUtils;
import org.xnio.XnioExecutor;
import org.xnio.channels.StreamSinkChannel;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The writing side of one {@code text/event-stream} response, non-blocking: frames are queued from any
 * thread and written by the connection's IO thread as the socket accepts them. The queue holds only
 * what the producer puts in; the producer bounds it (a consumer window), so a slow client never makes
 * the server buffer without bound. A comment line ({@code : ping}) is written every heartbeat period.
 *
 * <p>Threading: {@link #send} and {@link #close} are thread-safe; {@link #start} is called once by the
 * handler thread; everything else runs on the IO thread. Callbacks run on the IO thread and must not
 * block.
 */
public final class SseChannel {
    private static final Logger log = LoggerFactory.getLogger(SseChannel.class);
    private static final String CONTENT_TYPE = "text/event-stream; charset=utf-8";

    private final HttpServerExchange exchange;
    private final ConcurrentLinkedQueue<Frame> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean closing = new AtomicBoolean();
    private final AtomicBoolean finished = new AtomicBoolean();
    private volatile boolean started;
    private volatile Runnable onEnd = () -> { };

    // IO thread only
    private StreamSinkChannel sink;
    private Frame current;
    private boolean shutdown;
    private XnioExecutor.Key heartbeat;

    private record Frame(ByteBuffer bytes, Runnable written) {
    }

    public SseChannel(HttpServerExchange exchange) {
        this.exchange = exchange;
    }

    /**
     * Queues a frame (complete SSE text, ending with a blank line). {@code written} (nullable) runs on the
     * IO thread once the frame is handed to the connection. Returns false if the channel is closing.
     */
    public boolean send(String frame, Runnable written) {
        if (closing.get()) {
            return false;
        }
        queue.add(new Frame(ByteBuffer.wrap(frame.getBytes(StandardCharsets.UTF_8)), written));
        kick();
        return true;
    }

    /**
     * Sends the response head and starts writing. Must be called on the thread running the request's
     * handler, which then must return without ending the exchange.
     *
     * @param heartbeatEvery time between {@code : ping} comments
     * @param onHeartbeat    runs (on the IO thread) at each heartbeat, e.g. to re-check the token
     * @param onEnd          runs once when the stream has ended, for whatever reason
     */
    public void start(Duration heartbeatEvery, Runnable onHeartbeat, Runnable onEnd) {
        this.onEnd = onEnd;
        exchange.setStatusCode(200);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, CONTENT_TYPE);
        exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-store");
        exchange.getResponseHeaders().put(io.undertow.util.HttpString.tryFromString("X-Accel-Buffering"), "no");
        exchange.setPersistent(false);
        StreamSinkChannel channel = exchange.getResponseChannel();
        exchange.dispatch(exchange.getIoThread(), () -> begin(channel, heartbeatEvery, onHeartbeat));
    }

    private void begin(StreamSinkChannel channel, Duration heartbeatEvery, Runnable onHeartbeat) {
        sink = channel;
        sink.getWriteSetter().set(c -> flush());
        sink.getCloseSetter().set(c -> end());
        exchange.getConnection().addCloseListener(c -> end());
        queue.add(new Frame(ByteBuffer.wrap(": connected\n\n".getBytes(StandardCharsets.UTF_8)), null));
        long every = Math.max(1, heartbeatEvery.toMillis());
        heartbeat = sink.getIoThread().executeAtInterval(() -> ping(onHeartbeat), every, TimeUnit.MILLISECONDS);
        started = true;
        flush();
    }

    private void ping(Runnable onHeartbeat) {
        if (closing.get() || finished.get()) {
            return;
        }
        queue.add(new Frame(ByteBuffer.wrap(": ping\n\n".getBytes(StandardCharsets.UTF_8)), null));
        flush();
        try {
            onHeartbeat.run();
        } catch (RuntimeException e) {
            log.warn("event=stream_heartbeat_failed error={}", e.toString());
        }
    }

    /** Ends the stream after the frames already queued are written. Idempotent. */
    public void close() {
        if (closing.compareAndSet(false, true)) {
            kick();
        }
    }

    public boolean isOpen() {
        return !closing.get() && !finished.get();
    }

    private void kick() {
        if (started && !finished.get()) {
            try {
                sink.getIoThread().execute(this::flush);
            } catch (RuntimeException e) {
                end(); // the IO thread is gone: the server is stopping
            }
        }
    }

    private void flush() {
        if (finished.get()) {
            return;
        }
        try {
            while (true) {
                if (current == null) {
                    current = queue.poll();
                    if (current == null) {
                        break;
                    }
                }
                sink.write(current.bytes());
                if (current.bytes().hasRemaining()) {
                    sink.resumeWrites();
                    return;
                }
                Frame done = current;
                current = null;
                if (done.written() != null) {
                    try {
                        done.written().run();
                    } catch (RuntimeException e) {
                        log.warn("event=stream_callback_failed error={}", e.toString());
                    }
                }
            }
            if (closing.get() && !shutdown) {
                shutdown = true;
                sink.shutdownWrites();
            }
            if (!sink.flush()) {
                sink.resumeWrites();
                return;
            }
            if (shutdown) {
                IoUtils.safeClose(sink);
                end();
            } else {
                sink.suspendWrites();
            }
        } catch (IOException e) {
            log.debug("event=stream_write_failed error={}", e.toString());
            IoUtils.safeClose(exchange.getConnection());
            end();
        }
    }

    private void end() {
        if (!finished.compareAndSet(false, true)) {
            return;
        }
        closing.set(true);
        if (heartbeat != null) {
            heartbeat.remove();
        }
        queue.clear();
        try {
            onEnd.run();
        } catch (RuntimeException e) {
            log.warn("event=stream_end_failed error={}", e.toString());
        }
    }
}
