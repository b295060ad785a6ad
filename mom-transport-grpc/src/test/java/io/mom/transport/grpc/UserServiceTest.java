package io.mom.transport.grpc;

import io.mom.core.DestinationOptions;
import io.mom.core.DestinationRef;
import io.mom.core.ErrorCode;
import io.mom.core.Identity;
import io.mom.core.Role;
import io.mom.core.auth.PasswordHasher;
import io.mom.core.auth.Users;
import io.mom.core.memory.InMemoryUserStore;
import io.mom.grpc.v1.ChangePasswordRequest;
import io.mom.grpc.v1.CloseReason;
import io.mom.grpc.v1.CreateUserRequest;
import io.mom.grpc.v1.CreateUserResponse;
import io.mom.grpc.v1.DeleteUserRequest;
import io.mom.grpc.v1.ListUsersRequest;
import io.mom.grpc.v1.ListUsersResponse;
import io.mom.grpc.v1.User;
import io.mom.grpc.v1.UserServiceGrpc;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import static io.mom.transport.grpc.GrpcFixture.ADMIN;
import static io.mom.transport.grpc.GrpcFixture.ALICE;
import static io.mom.transport.grpc.GrpcFixture.BOB;
import static io.mom.transport.grpc.GrpcFixture.assertFails;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * {@code mom.v1.UserService} over a real {@link Users} directory: every method, who may call it, the
 * error code of each bad request, and that a password change or deletion ends the user's streams.
 */
class UserServiceTest {
    private final Users users = new Users(new InMemoryUserStore(), new PasswordHasher(1), Clock.systemUTC());
    private final GrpcFixture fx = new GrpcFixture(b -> { }, s -> s.users(users));

    UserServiceTest() {
        users.bootstrapAdmin(Optional.of("admin-pw"));
        users.create(ADMIN, "alice", "alice-pw", Set.of());
        users.create(ADMIN, "bob", "bob-pw", Set.of());
    }

    @AfterEach
    void close() {
        fx.close();
    }

    private UserServiceGrpc.UserServiceBlockingStub as(String token) {
        return GrpcFixture.as(UserServiceGrpc.newBlockingStub(fx.channel), token);
    }

    private static CreateUserRequest create(String username, String password, String... roles) {
        return CreateUserRequest.newBuilder().setUsername(username).setPassword(password)
                .addAllRoles(List.of(roles)).build();
    }

    private static ChangePasswordRequest password(String username, String password) {
        return ChangePasswordRequest.newBuilder().setUsername(username).setPassword(password).build();
    }

    private static DeleteUserRequest delete(String username) {
        return DeleteUserRequest.newBuilder().setUsername(username).build();
    }

    private static User user(String username, String... roles) {
        return User.newBuilder().setUsername(username).addAllRoles(List.of(roles)).build();
    }

    @Test
    void anAdminCreatesUsersWithTheRolesAskedForAndAPlainUserByDefault() {
        CreateUserResponse carol = as(fx.adminToken).createUser(create("carol", "carol-pw"));
        CreateUserResponse dave = as(fx.adminToken).createUser(create("dave", "dave-pw", "admin"));

        assertThat(carol.getUser()).isEqualTo(user("carol", "user"));
        assertThat(dave.getUser()).isEqualTo(user("dave", "admin", "user"));
        assertThat(users.authenticate("carol", "carol-pw")).contains(Identity.user("carol"));
        assertThat(users.authenticate("dave", "dave-pw").orElseThrow().roles()).contains(Role.ADMIN);
    }

    @Test
    void anAdminListsUsersInNameOrderPageByPage() {
        ListUsersResponse all = as(fx.adminToken).listUsers(ListUsersRequest.getDefaultInstance());
        assertThat(all.getItemsList()).containsExactly(user("admin", "admin", "user"), user("alice", "user"),
                user("bob", "user"));
        assertThat(all.getNext()).isEmpty();

        ListUsersResponse first = as(fx.adminToken).listUsers(ListUsersRequest.newBuilder().setLimit(2).build());
        assertThat(first.getItemsList()).extracting(User::getUsername).containsExactly("admin", "alice");
        assertThat(first.getNext()).isEqualTo("alice");
        ListUsersResponse second = as(fx.adminToken).listUsers(ListUsersRequest.newBuilder().setLimit(2)
                .setCursor(first.getNext()).build());
        assertThat(second.getItemsList()).extracting(User::getUsername).containsExactly("bob");
        assertThat(second.getNext()).isEmpty();

        ListUsersResponse prefixed = as(fx.adminToken).listUsers(ListUsersRequest.newBuilder().setPrefix("a").build());
        assertThat(prefixed.getItemsList()).extracting(User::getUsername).containsExactly("admin", "alice");
    }

    @Test
    void aUserChangesTheirOwnPasswordAndAnAdminAnyones() {
        as(fx.aliceToken).changePassword(password("alice", "alice-new"));
        as(fx.adminToken).changePassword(password("bob", "bob-new"));

        assertThat(users.authenticate("alice", "alice-pw")).isEmpty();
        assertThat(users.authenticate("alice", "alice-new")).isPresent();
        assertThat(users.authenticate("bob", "bob-new")).isPresent();
    }

    @Test
    void anAdminDeletesAUserButNeverTheLastAdmin() {
        as(fx.adminToken).deleteUser(delete("bob"));

        assertThat(users.authenticate("bob", "bob-pw")).isEmpty();
        assertThat(users.list(ADMIN)).extracting(u -> u.username()).containsExactly("admin", "alice");
        assertFails(() -> as(fx.adminToken).deleteUser(delete("admin")), ErrorCode.CONFLICT);
    }

    @Test
    void aPlainUserMayNotCreateListOrDeleteUsersNorChangeAnothersPassword() {
        assertFails(() -> as(fx.aliceToken).createUser(create("carol", "carol-pw")), ErrorCode.FORBIDDEN);
        // refused before the request is looked at, as REST does
        assertFails(() -> as(fx.aliceToken).createUser(create("not valid!", "")), ErrorCode.FORBIDDEN);
        assertFails(() -> as(fx.aliceToken).listUsers(ListUsersRequest.getDefaultInstance()), ErrorCode.FORBIDDEN);
        assertFails(() -> as(fx.aliceToken).deleteUser(delete("bob")), ErrorCode.FORBIDDEN);
        assertFails(() -> as(fx.aliceToken).changePassword(password("bob", "mine-now")), ErrorCode.FORBIDDEN);

        assertThat(users.list(ADMIN)).extracting(u -> u.username()).containsExactly("admin", "alice", "bob");
        assertThat(users.authenticate("bob", "bob-pw")).isPresent();
    }

    @Test
    void everyMethodNeedsAToken() {
        var anonymous = UserServiceGrpc.newBlockingStub(fx.channel);
        assertFails(() -> anonymous.listUsers(ListUsersRequest.getDefaultInstance()), ErrorCode.UNAUTHORIZED);
        assertFails(() -> anonymous.changePassword(password("alice", "x")), ErrorCode.UNAUTHORIZED);
    }

    static Stream<Arguments> badRequests() {
        String tooLong = "p".repeat(Users.MAX_PASSWORD_LENGTH + 1);
        return Stream.of(
                Arguments.of("create: invalid name", (Call) s -> s.createUser(create("no spaces", "pw")),
                        ErrorCode.INVALID_NAME),
                Arguments.of("create: empty name", (Call) s -> s.createUser(create("", "pw")), ErrorCode.INVALID_NAME),
                Arguments.of("create: name too long", (Call) s -> s.createUser(create("u".repeat(121), "pw")),
                        ErrorCode.INVALID_NAME),
                Arguments.of("create: empty password", (Call) s -> s.createUser(create("carol", "")),
                        ErrorCode.INVALID_REQUEST),
                Arguments.of("create: password too long", (Call) s -> s.createUser(create("carol", tooLong)),
                        ErrorCode.INVALID_REQUEST),
                Arguments.of("create: unknown role", (Call) s -> s.createUser(create("carol", "pw", "root")),
                        ErrorCode.INVALID_REQUEST),
                Arguments.of("create: taken name", (Call) s -> s.createUser(create("alice", "pw")),
                        ErrorCode.ALREADY_EXISTS),
                Arguments.of("list: limit 0", (Call) s -> s.listUsers(ListUsersRequest.newBuilder().setLimit(0).build()),
                        ErrorCode.INVALID_REQUEST),
                Arguments.of("list: limit 1001",
                        (Call) s -> s.listUsers(ListUsersRequest.newBuilder().setLimit(1001).build()),
                        ErrorCode.INVALID_REQUEST),
                Arguments.of("password: invalid name", (Call) s -> s.changePassword(password("a/b", "pw")),
                        ErrorCode.INVALID_NAME),
                Arguments.of("password: empty", (Call) s -> s.changePassword(password("alice", "")),
                        ErrorCode.INVALID_REQUEST),
                Arguments.of("password: too long", (Call) s -> s.changePassword(password("alice", tooLong)),
                        ErrorCode.INVALID_REQUEST),
                Arguments.of("password: unknown user", (Call) s -> s.changePassword(password("nobody", "pw")),
                        ErrorCode.NOT_FOUND),
                Arguments.of("delete: invalid name", (Call) s -> s.deleteUser(delete("")), ErrorCode.INVALID_NAME),
                Arguments.of("delete: unknown user", (Call) s -> s.deleteUser(delete("nobody")), ErrorCode.NOT_FOUND));
    }

    /** One call of the service. */
    interface Call {
        void run(UserServiceGrpc.UserServiceBlockingStub stub);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRequests")
    void badRequestsFailWithTheirCodeAndChangeNothing(String what, Call call, ErrorCode code) {
        assertFails(() -> call.run(as(fx.adminToken)), code);

        assertThat(users.list(ADMIN)).extracting(u -> u.username()).containsExactly("admin", "alice", "bob");
        assertThat(users.authenticate("alice", "alice-pw")).isPresent();
    }

    @Test
    void aPasswordChangeEndsTheUsersStreamsOpenedWithAnyToken() {
        fx.broker.declare(BOB, DestinationRef.queue("orders"), DestinationOptions.DEFAULTS);
        SubscribeClient bobs = SubscribeClient.open(fx.messagingAsync(fx.bobToken), GrpcFixture.queueSource("orders"),
                5, false);
        SubscribeClient bobsOther = SubscribeClient.open(fx.messagingAsync(fx.auth.grant(BOB)),
                GrpcFixture.queueSource("orders"), 5, false);
        SubscribeClient alices = SubscribeClient.open(fx.messagingAsync(fx.aliceToken),
                GrpcFixture.queueSource("orders"), 5, false);
        bobs.awaitSubscribed();
        bobsOther.awaitSubscribed();
        alices.awaitSubscribed();

        as(fx.adminToken).changePassword(password("bob", "bob-new"));

        bobs.awaitEnd();
        bobsOther.awaitEnd();
        assertThat(bobs.closedReason()).isEqualTo(CloseReason.CLOSE_REASON_LOGGED_OUT);
        assertThat(bobsOther.closedReason()).isEqualTo(CloseReason.CLOSE_REASON_LOGGED_OUT);
        assertThat(alices.isEnded()).as("another user's stream stays").isFalse();
        assertThat(fx.server.openStreams()).isEqualTo(1);
    }

    @Test
    void aDeletionEndsTheUsersStreams() {
        fx.broker.declare(ALICE, DestinationRef.queue("orders"), DestinationOptions.DEFAULTS);
        SubscribeClient bobs = SubscribeClient.open(fx.messagingAsync(fx.bobToken), GrpcFixture.queueSource("orders"),
                5, false);
        bobs.awaitSubscribed();

        as(fx.adminToken).deleteUser(delete("bob"));

        bobs.awaitEnd();
        assertThat(bobs.closedReason()).isEqualTo(CloseReason.CLOSE_REASON_LOGGED_OUT);
    }

    @Test
    void withoutAUserDirectoryTheServiceIsNotOffered() {
        try (GrpcFixture plain = new GrpcFixture()) {
            StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class,
                    () -> GrpcFixture.as(UserServiceGrpc.newBlockingStub(plain.channel), plain.adminToken)
                            .listUsers(ListUsersRequest.getDefaultInstance()));
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNIMPLEMENTED);
        }
    }
}
