package io.mom.core;

import java.util.Objects;
import java.util.Set;

/**
 * The authenticated caller of a broker operation. Transports build it from a verified token;
 * embedded applications build it directly.
 *
 * @param username the user name, recorded as the sender of published messages and the owner of
 *                 created destinations
 * @param roles    the roles held; never empty ({@link Role#USER} at least)
 */
public record Identity(String username, Set<Role> roles) {
    public Identity {
        Objects.requireNonNull(username, "username");
        roles = roles == null || roles.isEmpty() ? Set.of(Role.USER) : Set.copyOf(roles);
    }

    /** A plain user. */
    public static Identity user(String username) {
        return new Identity(username, Set.of(Role.USER));
    }

    /** A user with the admin role. */
    public static Identity admin(String username) {
        return new Identity(username, Set.of(Role.USER, Role.ADMIN));
    }

    public boolean isAdmin() {
        return roles.contains(Role.ADMIN);
    }
}
