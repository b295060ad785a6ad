package io.mom.core;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** Roles a user can hold. An admin may do everything a user may, plus manage users and delete any destination. */
public enum Role {
    USER,
    ADMIN;

    /**
     * The roles of a user created with these role names ({@code "user"}, {@code "admin"}): always
     * {@link #USER}, plus {@link #ADMIN} when named. Every transport reads client input with this.
     *
     * @throws MomException {@code INVALID_REQUEST} naming the first entry that is neither
     */
    public static Set<Role> parse(List<String> names) {
        Set<Role> roles = EnumSet.of(USER);
        for (int i = 0; i < names.size(); i++) {
            String n = names.get(i);
            if ("admin".equals(n)) {
                roles.add(ADMIN);
            } else if (!"user".equals(n)) {
                throw MomException.invalid("'roles[" + i + "]' must be \"user\" or \"admin\"");
            }
        }
        return roles;
    }
}
