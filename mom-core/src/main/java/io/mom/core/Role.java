package io.mom.core;

/** Roles a user can hold. An admin may do everything a user may, plus manage users and delete any destination. */
public enum Role {
    USER,
    ADMIN
}
