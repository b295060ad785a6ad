package io.mom.transport.rest.internal.resources;

import io.mom.core.MomException;
import io.mom.transport.rest.internal.http.Call;
import io.mom.transport.rest.internal.http.Reply;
import io.mom.transport.rest.internal.http.Router;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletionStage;

import static io.mom.transport.rest.internal.resources.AuthResource.done;

/**
 * The dashboard under {@code /ui/}: a fixed set of static files (HTML, CSS, JavaScript) read once from the
 * class path, with no build step and nothing loaded from elsewhere. The page signs in with
 * {@code POST /v1/auth/login} and calls the API with the {@code Authorization} header; the
 * Content-Security-Policy only lets it talk to this server. Thread-safe (immutable after construction).
 */
final class DashboardResource {
    private static final String DIRECTORY = "/io/mom/transport/rest/ui/";
    /** Served files and their content types; any other name is 404. */
    private static final Map<String, String> FILES = files();
    private static final String POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; connect-src 'self'; form-action 'none'; frame-ancestors 'none'; "
            + "base-uri 'none'";

    private final Map<String, Reply> replies = new LinkedHashMap<>();

    DashboardResource() {
        for (Map.Entry<String, String> f : FILES.entrySet()) {
            replies.put(f.getKey(), Reply.bytes(200, f.getValue(), read(f.getKey()))
                    .withHeader("Content-Security-Policy", POLICY)
                    .withHeader("X-Content-Type-Options", "nosniff")
                    .withHeader("Referrer-Policy", "no-referrer"));
        }
    }

    private static Map<String, String> files() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("index.html", "text/html; charset=utf-8");
        m.put("app.css", "text/css; charset=utf-8");
        m.put("app.js", "text/javascript; charset=utf-8");
        m.put("api.js", "text/javascript; charset=utf-8");
        m.put("charts.js", "text/javascript; charset=utf-8");
        return m;
    }

    void register(Router router) {
        router.add("GET", "/ui/", Router.Access.PUBLIC, c -> done(replies.get("index.html")));
        router.add("GET", "/ui/{file}", Router.Access.PUBLIC, this::file);
        router.add("GET", "/ui", Router.Access.PUBLIC,
                c -> done(Reply.bytes(308, "", new byte[0]).withHeader("Location", "/ui/")));
    }

    private CompletionStage<Reply> file(Call call) {
        Reply r = replies.get(call.path("file"));
        if (r == null) {
            throw MomException.notFound("dashboard file");
        }
        return done(r);
    }

    private static byte[] read(String name) {
        try (InputStream in = DashboardResource.class.getResourceAsStream(DIRECTORY + name)) {
            if (in == null) {
                throw new IllegalStateException("missing dashboard file " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
