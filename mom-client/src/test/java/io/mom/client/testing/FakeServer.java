package io.mom.client.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A scripted HTTP server on a free loopback port for client tests: each route (method and path,
 * without query) answers with its scripted responders in order, the last one repeating; every
 * request is recorded. Event streams are {@link SseConnection}s the test drives.
 */
public final class FakeServer implements AutoCloseable {

    /** A recorded request. */
    public record Request(String method, String path, String query, String authorization, String body) {
    }

    /** Answers one request. */
    @FunctionalInterface
    public interface Responder {
        void respond(HttpExchange exchange, Request request) throws IOException;
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "fake-server");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, Deque<Responder>> routes = new ConcurrentHashMap<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final BlockingQueue<SseConnection> streams = new LinkedBlockingQueue<>();
    private final List<SseConnection> allStreams = new CopyOnWriteArrayList<>();

    private FakeServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    public static FakeServer start() {
        try {
            return new FakeServer();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Adds responders for a route; they answer in order and the last one keeps answering. */
    public FakeServer on(String method, String path, Responder... responders) {
        Deque<Responder> queue = routes.computeIfAbsent(method + " " + path, k -> new ArrayDeque<>());
        synchronized (queue) {
            queue.addAll(List.of(responders));
        }
        return this;
    }

    /** The requests received so far, in order. */
    public List<Request> requests() {
        return List.copyOf(requests);
    }

    /** The requests to one route. */
    public List<Request> requests(String method, String path) {
        return requests.stream().filter(r -> r.method().equals(method) && r.path().equals(path)).toList();
    }

    /** The next event stream opened by a client, waiting up to {@code timeout}. */
    public SseConnection nextStream(Duration timeout) {
        try {
            SseConnection c = streams.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (c == null) {
                throw new AssertionError("no stream opened within " + timeout);
            }
            return c;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Answers with a JSON body. */
    public static Responder json(int status, String body) {
        return (ex, req) -> send(ex, status, "application/json", body);
    }

    /** Answers with no body. */
    public static Responder status(int status) {
        return (ex, req) -> {
            ex.sendResponseHeaders(status, -1);
            ex.close();
        };
    }

    /** Answers with an {@code application/problem+json} error. */
    public static Responder problem(int status, String code, String detail) {
        String body = "{\"type\":\"about:blank\",\"title\":\"" + code + "\",\"status\":" + status
                + ",\"detail\":\"" + detail + "\",\"code\":\"" + code + "\"}";
        return (ex, req) -> send(ex, status, "application/problem+json", body);
    }

    /** Opens an event stream the test then drives through {@link #nextStream}. */
    public Responder sse() {
        return (ex, req) -> {
            ex.getResponseHeaders().add("Content-Type", "text/event-stream");
            ex.sendResponseHeaders(200, 0);
            OutputStream out = ex.getResponseBody();
            out.flush();
            SseConnection c = new SseConnection(req);
            allStreams.add(c);
            streams.add(c);
            c.pump(out);
            ex.close();
        };
    }

    static void send(HttpExchange ex, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", type);
        ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(bytes);
            }
        }
        ex.close();
    }

    private void handle(HttpExchange ex) throws IOException {
        String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Request req = new Request(ex.getRequestMethod(), ex.getRequestURI().getRawPath(),
                ex.getRequestURI().getRawQuery(), ex.getRequestHeaders().getFirst("Authorization"), body);
        requests.add(req);
        Deque<Responder> queue = routes.get(req.method() + " " + req.path());
        Responder r = null;
        if (queue != null) {
            synchronized (queue) {
                r = queue.size() > 1 ? queue.poll() : queue.peek();
            }
        }
        if (r == null) {
            problem(404, "NOT_FOUND", "no route " + req.method() + " " + req.path()).respond(ex, req);
            return;
        }
        r.respond(ex, req);
    }

    @Override
    public void close() {
        allStreams.forEach(SseConnection::end);
        server.stop(0);
        executor.shutdownNow();
    }
}
