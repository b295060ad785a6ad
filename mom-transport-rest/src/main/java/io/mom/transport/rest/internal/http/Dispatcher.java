package io.mom.transport.rest.internal.http;

import io.mom.core.ErrorCode;
import io.mom.core.Identity;
import io.mom.core.MomException;
import io.mom.core.auth.Authenticator;
import io.mom.transport.rest.RequestListener;
import io.mom.transport.rest.internal.json.Fields;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.AttachmentKey;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.SameThreadExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.IoUtils;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;

/**
 * The root handler: moves each request off the IO thread, routes it, authenticates the caller,
 * runs the endpoint and writes its reply, or a problem for any failure. Endpoints that answer later
 * (long polls, durable writes) release the worker thread; their reply is written on a worker thread
 * when their future completes. Unexpected failures are logged and answered with a generic 500.
 * Writes one access-log line per request on the logger {@code io.mom.access} (with the problem's
 * {@code code} when the answer is an error), and one line when a client connection is first used and
 * when it closes ({@link ConnectionLog}).
 *
 * <p>Thread-safe: holds no per-request state.
 */
public final class Dispatcher implements HttpHandler {
    private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);
    private static final Logger access = LoggerFactory.getLogger("io.mom.access");
    private static final AttachmentKey<String> USER = AttachmentKey.create(String.class);
    private static final AttachmentKey<String> ROUTE = AttachmentKey.create(String.class);
    private static final AttachmentKey<String> ERROR_CODE = AttachmentKey.create(String.class);
    private static final HttpString CACHE_CONTROL = Headers.CACHE_CONTROL;

    private final Router router;
    private final Authenticator authenticator;
    private final long maxBodyBytes;
    private final RequestListener listener;

    public Dispatcher(Router router, Authenticator authenticator, long maxBodyBytes, RequestListener listener) {
        this.router = router;
        this.authenticator = authenticator;
        this.maxBodyBytes = maxBodyBytes;
        this.listener = listener;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        if (exchange.isInIoThread()) {
            exchange.dispatch(this);
            return;
        }
        long began = System.nanoTime();
        ConnectionLog.seen(exchange.getConnection());
        exchange.addExchangeCompleteListener((ex, next) -> {
            try {
                completed(ex, began);
            } finally {
                next.proceed();
            }
        });
        CompletableFuture<Reply> reply;
        try {
            reply = route(exchange).toCompletableFuture();
        } catch (Throwable t) {
            reply = CompletableFuture.failedFuture(t);
        }
        if (reply.isDone()) {
            respond(exchange, reply);
            return;
        }
        Executor worker = exchange.getConnection().getWorker();
        CompletableFuture<Reply> pending = reply;
        exchange.dispatch(SameThreadExecutor.INSTANCE,
                () -> pending.whenCompleteAsync((r, e) -> respond(exchange, pending), worker));
    }

    private CompletionStage<Reply> route(HttpServerExchange exchange) {
        List<String> segments = UrlText.segments(rawPath(exchange));
        String method = exchange.getRequestMethod().toString();
        Router.Match match = router.match(method, segments);
        if (!match.found()) {
            if (match.allowedMethods().isEmpty()) {
                throw MomException.notFound("resource");
            }
            Problem p = new Problem(405, Problem.METHOD_NOT_ALLOWED, method + " is not allowed here");
            exchange.putAttachment(ERROR_CODE, p.code());
            return CompletableFuture.completedFuture(
                    Reply.problem(p).withHeader("Allow", String.join(", ", match.allowedMethods())));
        }
        Router.Route route = match.route();
        exchange.putAttachment(ROUTE, route.template());
        Map<String, String> query = UrlText.query(exchange.getQueryString());
        for (String name : query.keySet()) {
            if (!route.query().contains(name)) {
                throw MomException.invalid("unknown query parameter " + Fields.quote(name));
            }
        }
        Identity identity = null;
        String token = null;
        if (route.access() != Router.Access.PUBLIC) {
            token = bearerToken(exchange);
            identity = authenticator.verify(token);
            exchange.putAttachment(USER, identity.username());
            if (route.access() == Router.Access.ADMIN && !identity.isAdmin()) {
                throw MomException.forbidden("this operation needs the admin role");
            }
        }
        return route.endpoint().handle(new Call(exchange, match.params(), query, identity, token, maxBodyBytes));
    }

    private static String rawPath(HttpServerExchange exchange) {
        String uri = exchange.getRequestURI();
        if (!uri.startsWith("/")) {
            // absolute-form request target: http://host:port/path
            int scheme = uri.indexOf("://");
            int slash = scheme < 0 ? -1 : uri.indexOf('/', scheme + 3);
            uri = slash < 0 ? "/" : uri.substring(slash);
        }
        return uri;
    }

    private static String bearerToken(HttpServerExchange exchange) {
        String header = exchange.getRequestHeaders().getFirst(Headers.AUTHORIZATION);
        if (header == null || header.length() < 7 || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new MomException(ErrorCode.UNAUTHORIZED, "a bearer token is required");
        }
        String token = header.substring(7).trim();
        if (token.isEmpty()) {
            throw new MomException(ErrorCode.UNAUTHORIZED, "a bearer token is required");
        }
        return token;
    }

    private void respond(HttpServerExchange exchange, CompletableFuture<Reply> outcome) {
        try {
            Reply reply;
            try {
                reply = outcome.join();
            } catch (CompletionException | java.util.concurrent.CancellationException e) {
                Problem problem = problemOf(exchange, e);
                exchange.putAttachment(ERROR_CODE, problem.code());
                reply = Reply.problem(problem);
            }
            if (reply == Reply.TAKEN_OVER) {
                return;
            }
            write(exchange, reply);
        } catch (Throwable t) {
            log.warn("event=response_failed method={} path={} error={}", exchange.getRequestMethod(),
                    printable(exchange.getRequestPath()), t.toString());
            IoUtils.safeClose(exchange.getConnection());
        }
    }

    private static Problem problemOf(HttpServerExchange exchange, Throwable error) {
        Throwable cause = error;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof MomException) {
            MomException m = (MomException) cause;
            if (m.code() == ErrorCode.INTERNAL || m.code() == ErrorCode.UNAVAILABLE) {
                log.warn("event=request_failed method={} path={} code={} detail={}", exchange.getRequestMethod(),
                        printable(exchange.getRequestPath()), m.code(), m.getMessage(), m.getCause());
            }
            return m.code() == ErrorCode.INTERNAL ? Problem.internal() : Problem.of(m);
        }
        log.error("event=request_failed method={} path={}", exchange.getRequestMethod(),
                printable(exchange.getRequestPath()), cause);
        return Problem.internal();
    }

    private static void write(HttpServerExchange exchange, Reply reply) throws java.io.IOException {
        if (exchange.isResponseStarted()) {
            exchange.endExchange();
            return;
        }
        exchange.setStatusCode(reply.status());
        var headers = exchange.getResponseHeaders();
        if (!reply.contentType().isEmpty()) {
            headers.put(Headers.CONTENT_TYPE, reply.contentType());
        }
        if (!headers.contains(CACHE_CONTROL)) {
            headers.put(CACHE_CONTROL, "no-store");
        }
        if (reply.status() == 401) {
            headers.put(Headers.WWW_AUTHENTICATE, "Bearer");
        }
        reply.headers().forEach((name, value) -> headers.put(HttpString.tryFromString(name), value));
        exchange.setResponseContentLength(reply.body().length);
        if (reply.body().length > 0) {
            if (!exchange.isBlocking()) {
                exchange.startBlocking();
            }
            exchange.getOutputStream().write(reply.body());
        }
        exchange.endExchange();
    }

    private void completed(HttpServerExchange exchange, long began) {
        long nanos = System.nanoTime() - began;
        String user = exchange.getAttachment(USER);
        String code = exchange.getAttachment(ERROR_CODE);
        if (code == null) {
            access.info("method={} path={} status={} user={} ms={}", exchange.getRequestMethod(),
                    printable(exchange.getRequestPath()), exchange.getStatusCode(), user == null ? "-" : user,
                    nanos / 1_000_000);
        } else {
            access.info("method={} path={} status={} code={} user={} ms={}", exchange.getRequestMethod(),
                    printable(exchange.getRequestPath()), exchange.getStatusCode(), code, user == null ? "-" : user,
                    nanos / 1_000_000);
        }
        String route = exchange.getAttachment(ROUTE);
        try {
            listener.requestCompleted(exchange.getRequestMethod().toString(),
                    route == null ? RequestListener.UNMATCHED : route, exchange.getStatusCode(), nanos);
        } catch (RuntimeException e) {
            log.warn("event=request_listener_failed error={}", e.toString());
        }
    }

    /** A path safe for a log line: bounded, without control characters or spaces. */
    static String printable(String path) {
        String p = path.length() > 200 ? path.substring(0, 200) + "..." : path;
        StringBuilder sb = new StringBuilder(p.length());
        for (int i = 0; i < p.length(); i++) {
            char c = p.charAt(i);
            sb.append(c <= 0x20 || c == 0x7f ? '?' : c);
        }
        return sb.toString();
    }
}
