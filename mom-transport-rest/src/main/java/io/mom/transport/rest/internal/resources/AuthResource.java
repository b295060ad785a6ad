package io.mom.transport.rest.internal.resources;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.mom.core.ErrorCode;
import io.mom.core.Identity;
import io.mom.core.MomException;
import io.mom.core.Names;
import io.mom.core.Role;
import io.mom.core.auth.Authenticator;
import io.mom.core.spi.ClusterView;
import io.mom.transport.rest.internal.http.Call;
import io.mom.transport.rest.internal.http.Reply;
import io.mom.transport.rest.internal.http.Router;
import io.mom.transport.rest.internal.json.Fields;
import io.mom.transport.rest.internal.sse.Streams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * {@code /v1/auth}: login, logout, who am I. A login on a node above its load threshold also names a
 * {@code preferredNode} (FR-22). Logs every login outcome without secrets. Thread-safe. */
final class AuthResource {
    private static final Logger log = LoggerFactory.getLogger(AuthResource.class);
    private static final Set<String> LOGIN_FIELDS = Set.of("username", "password");

    private final Authenticator authenticator;
    private final Streams streams;
    private final Supplier<Optional<ClusterView.Node>> redirect;

    AuthResource(Authenticator authenticator, Streams streams, Supplier<Optional<ClusterView.Node>> redirect) {
        this.authenticator = authenticator;
        this.streams = streams;
        this.redirect = redirect;
    }

    void register(Router router) {
        router.add("POST", "/v1/auth/login", Router.Access.PUBLIC, this::login);
        router.add("POST", "/v1/auth/logout", Router.Access.USER, this::logout);
        router.add("GET", "/v1/auth/me", Router.Access.USER, this::me);
    }

    private CompletionStage<Reply> login(Call call) {
        Fields f = Fields.of(call.json(), "", LOGIN_FIELDS);
        String username = f.requiredString("username");
        String password = f.requiredString("password");
        String shown = Names.isValid(username) ? username : "<invalid>";
        Authenticator.Session session;
        try {
            session = authenticator.login(username, password);
        } catch (MomException e) {
            if (e.code() == ErrorCode.UNAUTHORIZED) {
                log.info("event=login user={} outcome=failure remote={}", shown, call.remoteAddress());
            }
            throw e;
        }
        log.info("event=login user={} outcome=success remote={}", shown, call.remoteAddress());
        JsonObject o = new JsonObject();
        o.addProperty("token", session.token());
        o.addProperty("expiresAt", session.expiresAt().toString());
        o.addProperty("username", session.identity().username());
        o.add("roles", roles(session.identity().roles()));
        redirect.get().ifPresent(node -> {
            // FR-22: this node is above its load threshold; the client may move to a less loaded one.
            JsonObject preferred = new JsonObject();
            preferred.addProperty("id", node.id());
            preferred.addProperty("restAddress", node.restAddress());
            preferred.addProperty("grpcAddress", node.grpcAddress());
            o.add("preferredNode", preferred);
        });
        return done(Reply.json(200, o));
    }

    private CompletionStage<Reply> logout(Call call) {
        authenticator.logout(call.token());
        streams.closeToken(call.token());
        log.info("event=logout user={} remote={}", call.identity().username(), call.remoteAddress());
        return done(Reply.noContent());
    }

    private CompletionStage<Reply> me(Call call) {
        Identity me = call.identity();
        JsonObject o = new JsonObject();
        o.addProperty("username", me.username());
        o.add("roles", roles(me.roles()));
        return done(Reply.json(200, o));
    }

    /** Roles on the wire: lower-case names in a stable order. */
    static JsonArray roles(Set<Role> roles) {
        JsonArray a = new JsonArray();
        for (Role r : Role.values()) {
            if (roles.contains(r)) {
                a.add(r.name().toLowerCase(Locale.ROOT));
            }
        }
        return a;
    }

    static CompletionStage<Reply> done(Reply reply) {
        return CompletableFuture.completedFuture(reply);
    }
}
