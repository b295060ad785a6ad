package io.mom.client;

import java.util.List;
import java.util.Objects;

/**
 * A user account as the server reports it (never with a password or hash).
 *
 * @param username the user name
 * @param roles    the roles held, for example {@code ["user"]} or {@code ["user", "admin"]}
 */
public record UserInfo(String username, List<String> roles) {
    public UserInfo {
        Objects.requireNonNull(username, "username");
        roles = List.copyOf(roles);
    }

    /** True when the user holds the {@code admin} role. */
    public boolean isAdmin() {
        return roles.contains("admin");
    }
}
