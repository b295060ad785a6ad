package io.mom.transport.rest.internal.http;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletionStage;

/**
 * Matches a method and a decoded path against route templates such as {@code /v1/queues/{name}}.
 * Routes are added before the server starts and only read afterwards, so matching is thread-safe.
 */
public final class Router {

    /** Who may call a route. */
    public enum Access {
        /** No token needed. */
        PUBLIC,
        /** Any valid token. */
        USER,
        /** A valid token of a user with the admin role. */
        ADMIN
    }

    /** Handles one matched request. May answer at once or later; exceptions become problems. */
    @FunctionalInterface
    public interface Endpoint {
        CompletionStage<Reply> handle(Call call);
    }

    /**
     * One route.
     *
     * @param query the query parameters the route accepts; any other is rejected
     */
    public record Route(String method, String template, List<String> segments, Access access, Set<String> query,
                        Endpoint endpoint) {
    }

    /** The outcome of a match: a route and its path parameters, or the methods the path does allow. */
    public record Match(Route route, Map<String, String> params, Set<String> allowedMethods) {
        public boolean found() {
            return route != null;
        }
    }

    private final List<Route> routes = new ArrayList<>();

    /** Adds a route; {@code query} lists the query parameters it accepts. */
    public Router add(String method, String template, Access access, Endpoint endpoint, String... query) {
        Objects.requireNonNull(endpoint, "endpoint");
        if (!template.startsWith("/")) {
            throw new IllegalArgumentException("template must start with /: " + template);
        }
        routes.add(new Route(method, template, split(template), access, Set.of(query), endpoint));
        return this;
    }

    public List<Route> routes() {
        return List.copyOf(routes);
    }

    /** Matches decoded path segments. */
    public Match match(String method, List<String> path) {
        Set<String> allowed = new TreeSet<>();
        for (Route r : routes) {
            Map<String, String> params = bind(r.segments(), path);
            if (params == null) {
                continue;
            }
            if (r.method().equals(method)) {
                return new Match(r, params, Set.of());
            }
            allowed.add(r.method());
        }
        return new Match(null, Map.of(), allowed);
    }

    private static Map<String, String> bind(List<String> template, List<String> path) {
        if (template.size() != path.size()) {
            return null;
        }
        Map<String, String> params = null;
        for (int i = 0; i < template.size(); i++) {
            String t = template.get(i);
            if (t.startsWith("{") && t.endsWith("}")) {
                if (params == null) {
                    params = new HashMap<>(4);
                }
                params.put(t.substring(1, t.length() - 1), path.get(i));
            } else if (!t.equals(path.get(i))) {
                return null;
            }
        }
        return params == null ? Map.of() : params;
    }

    /** Splits {@code /a/b/} into {@code [a, b, ""]}: a trailing slash is a segment of its own. */
    public static List<String> split(String path) {
        List<String> out = new ArrayList<>(8);
        int start = 1;
        while (true) {
            int slash = path.indexOf('/', start);
            if (slash < 0) {
                out.add(path.substring(start));
                return out;
            }
            out.add(path.substring(start, slash));
            start = slash + 1;
        }
    }
}
