package io.mom.transport.rest.internal.resources;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.mom.core.MomException;
import io.mom.core.Names;
import io.mom.core.Role;
import io.mom.core.auth.UserDirectory;
import io.mom.transport.rest.internal.http.Call;
import io.mom.transport.rest.internal.http.Reply;
import io.mom.transport.rest.internal.http.Router;
import io.mom.transport.rest.internal.json.Fields;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;

import static io.mom.transport.rest.internal.resources.AuthResource.done;

/** {@code /v1/users}: user administration; the rules live in the {@link UserDirectory}. Thread-safe. */
final class UserResource {
    private static final Set<String> CREATE_FIELDS = Set.of("username", "password", "roles");
    private static final Set<String> PASSWORD_FIELDS = Set.of("password");

    private final UserDirectory users;

    UserResource(UserDirectory users) {
        this.users = users;
    }

    void register(Router router) {
        router.add("POST", "/v1/users", Router.Access.ADMIN, this::create);
        router.add("GET", "/v1/users", Router.Access.ADMIN, this::list);
        router.add("PUT", "/v1/users/{username}/password", Router.Access.USER, this::changePassword);
        router.add("DELETE", "/v1/users/{username}", Router.Access.ADMIN, this::delete);
    }

    private CompletionStage<Reply> create(Call call) {
        Fields f = Fields.of(call.json(), "", CREATE_FIELDS);
        String username = Names.require(f.requiredString("username"), "user");
        String password = f.requiredString("password");
        Set<Role> roles = roles(f.optionalStrings("roles", 8).orElse(List.of()));
        UserDirectory.UserView created = users.create(call.identity(), username, password, roles);
        return done(Reply.json(201, view(created)).withHeader("Location", "/v1/users/" + created.username()));
    }

    private CompletionStage<Reply> list(Call call) {
        JsonArray a = new JsonArray();
        users.list(call.identity()).forEach(u -> a.add(view(u)));
        return done(Reply.json(200, a));
    }

    private CompletionStage<Reply> changePassword(Call call) {
        String username = Names.require(call.path("username"), "user");
        Fields f = Fields.of(call.json(), "", PASSWORD_FIELDS);
        users.changePassword(call.identity(), username, f.requiredString("password"));
        return done(Reply.noContent());
    }

    private CompletionStage<Reply> delete(Call call) {
        String username = Names.require(call.path("username"), "user");
        users.delete(call.identity(), username);
        return done(Reply.noContent());
    }

    private static Set<Role> roles(List<String> names) {
        return Role.parse(names);
    }

    private static JsonObject view(UserDirectory.UserView u) {
        JsonObject o = new JsonObject();
        o.addProperty("username", u.username());
        o.add("roles", AuthResource.roles(u.roles()));
        return o;
    }
}
