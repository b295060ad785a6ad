package io.mom.core.auth;

import io.mom.core.ErrorCode;
import io.mom.core.Identity;
import io.mom.core.Role;

import java.util.List;
import java.util.Set;

/**
 * User administration with the permission rules of the API: admins manage users; a user may change
 * their own password. Thread-safe.
 */
public interface UserDirectory {

    /** A user as shown to clients (never a hash). */
    record UserView(String username, Set<Role> roles) {
    }

    /** Admin only; {@link ErrorCode#ALREADY_EXISTS} if taken. */
    UserView create(Identity caller, String username, String password, Set<Role> roles);

    /** Admin only. */
    List<UserView> list(Identity caller);

    /** Self or admin; revokes the user's existing tokens. */
    void changePassword(Identity caller, String username, String newPassword);

    /** Admin only; revokes the user's tokens; deleting the last admin is {@link ErrorCode#CONFLICT}. */
    void delete(Identity caller, String username);
}
