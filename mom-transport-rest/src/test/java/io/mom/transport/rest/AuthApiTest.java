package io.mom.transport.rest;

import com.google.gson.JsonArray;
import io.mom.transport.rest.testing.HttpReply;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static io.mom.transport.rest.testing.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

class AuthApiTest {
    private final TestServer s = TestServer.start();

    @AfterEach
    void stop() {
        s.close();
    }

    @Test
    void loginIssuesAnExpiringTokenThatIdentifiesTheUser() {
        s.user("alice");
        HttpReply login = s.api.post("/v1/auth/login", null, json("username", "alice", "password", "alice-pw"));
        assertThat(login.status()).isEqualTo(200);
        assertThat(login.contentType()).startsWith("application/json");
        assertThat(Instant.parse(login.str("expiresAt"))).isEqualTo(s.authTime.instant().plus(Duration.ofHours(1)));

        HttpReply me = s.api.get("/v1/auth/me", login.str("token"));
        assertThat(me.status()).isEqualTo(200);
        assertThat(me.json()).isEqualTo(com.google.gson.JsonParser.parseString(
                "{\"username\":\"alice\",\"roles\":[\"user\"]}"));
        assertThat(s.api.get("/v1/auth/me", s.adminToken).array("roles").toString()).isEqualTo("[\"user\",\"admin\"]");
    }

    @Test
    void badCredentialsAre401WithProblemJson() {
        s.user("alice");
        for (String body : new String[]{json("username", "alice", "password", "wrong"),
                json("username", "nobody", "password", "alice-pw")}) {
            HttpReply r = s.api.post("/v1/auth/login", null, body);
            assertThat(r.status()).isEqualTo(401);
            assertThat(r.contentType()).startsWith("application/problem+json");
            assertThat(r.code()).isEqualTo("UNAUTHORIZED");
            assertThat(r.obj().keySet()).containsExactlyInAnyOrder("type", "title", "status", "detail", "code");
            assertThat(r.obj().get("status").getAsInt()).isEqualTo(401);
        }
    }

    @Test
    void tokensStopWorkingWhenTheyExpire() {
        String alice = s.user("alice");
        s.authTime.advance(Duration.ofMinutes(59));
        assertThat(s.api.get("/v1/auth/me", alice).status()).isEqualTo(200);
        s.authTime.advance(Duration.ofMinutes(1));
        HttpReply r = s.api.get("/v1/auth/me", alice);
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.code()).isEqualTo("UNAUTHORIZED");
    }

    @Test
    void logoutRevokesOnlyThatToken() {
        String first = s.user("alice");
        String second = s.api.login("alice", "alice-pw");
        assertThat(s.api.post("/v1/auth/logout", first, null).status()).isEqualTo(204);
        assertThat(s.api.get("/v1/auth/me", first).status()).isEqualTo(401);
        assertThat(s.api.post("/v1/auth/logout", first, null).status()).isEqualTo(401);
        assertThat(s.api.get("/v1/auth/me", second).status()).isEqualTo(200);
        assertThat(s.userStore.revokedTokens()).hasSize(1);
    }

    @Test
    void passwordChangeRevokesTheUsersExistingTokens() {
        String alice = s.user("alice");
        String other = s.api.login("alice", "alice-pw");
        s.authTime.advance(Duration.ofMillis(1));
        assertThat(s.api.put("/v1/users/alice/password", alice, json("password", "new-pw")).status()).isEqualTo(204);
        assertThat(s.api.get("/v1/auth/me", alice).status()).isEqualTo(401);
        assertThat(s.api.get("/v1/auth/me", other).status()).isEqualTo(401);
        assertThat(s.api.post("/v1/auth/login", null, json("username", "alice", "password", "alice-pw")).status())
                .isEqualTo(401);
        String fresh = s.api.login("alice", "new-pw");
        assertThat(s.api.get("/v1/auth/me", fresh).status()).isEqualTo(200);
    }

    @Test
    void adminChangesAnyPasswordButUsersOnlyTheirOwn() {
        String alice = s.user("alice");
        s.user("bob");
        HttpReply r = s.api.put("/v1/users/bob/password", alice, json("password", "x"));
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.code()).isEqualTo("FORBIDDEN");
        assertThat(s.api.put("/v1/users/bob/password", s.adminToken, json("password", "by-admin")).status())
                .isEqualTo(204);
        s.api.login("bob", "by-admin");
        assertThat(s.api.put("/v1/users/nobody/password", s.adminToken, json("password", "x")).code())
                .isEqualTo("NOT_FOUND");
    }

    @Test
    void adminsCreateAndListUsersWithoutHashes() {
        HttpReply created = s.api.post("/v1/users", s.adminToken,
                json("username", "carol", "password", "carol-pw", "roles", new String[]{"admin"}));
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.json().toString()).isEqualTo("{\"username\":\"carol\",\"roles\":[\"user\",\"admin\"]}");
        HttpReply plain = s.api.post("/v1/users", s.adminToken, json("username", "dave", "password", "pw", "roles",
                new String[0]));
        assertThat(plain.array("roles").toString()).isEqualTo("[\"user\"]");
        HttpReply again = s.api.post("/v1/users", s.adminToken, json("username", "carol", "password", "other"));
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.code()).isEqualTo("ALREADY_EXISTS");

        HttpReply list = s.api.get("/v1/users", s.adminToken);
        assertThat(list.status()).isEqualTo(200);
        JsonArray users = list.json().getAsJsonArray();
        assertThat(users).hasSize(3);
        assertThat(list.body()).doesNotContain("pbkdf2").doesNotContain("password");
        assertThat(users.get(0).getAsJsonObject().keySet()).containsExactlyInAnyOrder("username", "roles");
        s.api.login("carol", "carol-pw");
    }

    @Test
    void plainUsersCannotManageUsers() {
        String alice = s.user("alice");
        assertThat(s.api.post("/v1/users", alice, json("username", "m", "password", "pw")).code()).isEqualTo("FORBIDDEN");
        assertThat(s.api.get("/v1/users", alice).status()).isEqualTo(403);
        assertThat(s.api.delete("/v1/users/admin", alice).status()).isEqualTo(403);
        assertThat(s.users.account("m")).isEmpty();
        assertThat(s.users.account("admin")).isPresent();
    }

    @Test
    void deletingAUserRevokesTheirTokensAndKeepsTheirDestinations() {
        String alice = s.user("alice");
        s.createQueue(alice, "alices-queue");
        assertThat(s.api.delete("/v1/users/alice", s.adminToken).status()).isEqualTo(204);
        assertThat(s.api.get("/v1/auth/me", alice).status()).isEqualTo(401);
        assertThat(s.api.get("/v1/queues/alices-queue", s.adminToken).str("owner")).isEqualTo("alice");
        assertThat(s.api.delete("/v1/users/alice", s.adminToken).code()).isEqualTo("NOT_FOUND");
    }

    @Test
    void deletingTheLastAdminIsAConflict() {
        HttpReply r = s.api.delete("/v1/users/admin", s.adminToken);
        assertThat(r.status()).isEqualTo(409);
        assertThat(r.code()).isEqualTo("CONFLICT");
        assertThat(s.api.get("/v1/auth/me", s.adminToken).status()).isEqualTo(200);
    }
}
