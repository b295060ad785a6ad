package io.mom.transport.grpc;

import io.grpc.stub.StreamObserver;
import io.mom.core.Identity;
import io.mom.core.MomException;
import io.mom.core.Names;
import io.mom.core.Role;
import io.mom.core.auth.UserDirectory;
import io.mom.grpc.v1.ChangePasswordRequest;
import io.mom.grpc.v1.ChangePasswordResponse;
import io.mom.grpc.v1.CloseReason;
import io.mom.grpc.v1.CreateUserRequest;
import io.mom.grpc.v1.CreateUserResponse;
import io.mom.grpc.v1.DeleteUserRequest;
import io.mom.grpc.v1.DeleteUserResponse;
import io.mom.grpc.v1.ListUsersRequest;
import io.mom.grpc.v1.ListUsersResponse;
import io.mom.grpc.v1.User;
import io.mom.grpc.v1.UserServiceGrpc;

import java.util.List;
import java.util.Set;

/**
 * {@code mom.v1.UserService}: user administration over the same {@link UserDirectory} as the REST
 * {@code /v1/users} resource, which holds the rules (admins manage users, a user may change their own
 * password, the last admin stays, revocation of the user's tokens). Like REST, admin-only methods refuse
 * a plain user before looking at the request. A password change or a deletion also ends the user's
 * streams on this server, whatever token opened them. Thread-safe.
 */
final class UserGrpcService extends UserServiceGrpc.UserServiceImplBase {
    static final int DEFAULT_LIST_LIMIT = 100;
    static final int MAX_LIST_LIMIT = 1000;
    /** Most entries in {@code roles}, as for REST. */
    static final int MAX_ROLES = 8;

    private final UserDirectory users;
    private final OpenStreams streams;

    UserGrpcService(UserDirectory users, OpenStreams streams) {
        this.users = users;
        this.streams = streams;
    }

    @Override
    public void createUser(CreateUserRequest request, StreamObserver<CreateUserResponse> responseObserver) {
        Identity caller = AuthInterceptor.IDENTITY.get();
        UnaryCalls.reply(responseObserver, () -> {
            requireAdmin(caller);
            String username = Names.require(request.getUsername(), "user");
            Set<Role> roles = roles(request.getRolesList());
            UserDirectory.UserView created = users.create(caller, username, request.getPassword(), roles);
            return CreateUserResponse.newBuilder().setUser(user(created)).build();
        });
    }

    @Override
    public void listUsers(ListUsersRequest request, StreamObserver<ListUsersResponse> responseObserver) {
        Identity caller = AuthInterceptor.IDENTITY.get();
        UnaryCalls.reply(responseObserver, () -> {
            requireAdmin(caller);
            int limit = request.hasLimit() ? request.getLimit() : DEFAULT_LIST_LIMIT;
            if (limit < 1 || limit > MAX_LIST_LIMIT) {
                throw MomException.invalid("limit must be between 1 and " + MAX_LIST_LIMIT);
            }
            // The directory answers in name order; the cursor is the last name of the previous page.
            List<UserDirectory.UserView> matching = users.list(caller).stream()
                    .filter(u -> u.username().startsWith(request.getPrefix()))
                    .filter(u -> u.username().compareTo(request.getCursor()) > 0)
                    .toList();
            ListUsersResponse.Builder b = ListUsersResponse.newBuilder();
            matching.stream().limit(limit).forEach(u -> b.addItems(user(u)));
            if (matching.size() > limit) {
                b.setNext(matching.get(limit - 1).username());
            }
            return b.build();
        });
    }

    @Override
    public void changePassword(ChangePasswordRequest request, StreamObserver<ChangePasswordResponse> responseObserver) {
        Identity caller = AuthInterceptor.IDENTITY.get();
        UnaryCalls.reply(responseObserver, () -> {
            String username = Names.require(request.getUsername(), "user");
            users.changePassword(caller, username, request.getPassword());
            streams.endAllOf(username, CloseReason.CLOSE_REASON_LOGGED_OUT);
            return ChangePasswordResponse.getDefaultInstance();
        });
    }

    @Override
    public void deleteUser(DeleteUserRequest request, StreamObserver<DeleteUserResponse> responseObserver) {
        Identity caller = AuthInterceptor.IDENTITY.get();
        UnaryCalls.reply(responseObserver, () -> {
            requireAdmin(caller);
            String username = Names.require(request.getUsername(), "user");
            users.delete(caller, username);
            streams.endAllOf(username, CloseReason.CLOSE_REASON_LOGGED_OUT);
            return DeleteUserResponse.getDefaultInstance();
        });
    }

    /** As REST's admin-only routes: a plain user learns nothing about the request. */
    private static void requireAdmin(Identity caller) {
        if (!caller.isAdmin()) {
            throw MomException.forbidden("only an admin may manage users");
        }
    }

    private static Set<Role> roles(List<String> names) {
        if (names.size() > MAX_ROLES) {
            throw MomException.invalid("'roles' may hold at most " + MAX_ROLES + " entries");
        }
        return Role.parse(names);
    }

    private static User user(UserDirectory.UserView u) {
        return User.newBuilder().setUsername(u.username()).addAllRoles(ProtoMapping.roles(u.roles())).build();
    }
}
