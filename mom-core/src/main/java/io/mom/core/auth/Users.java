package io.mom.core.auth;

import io.mom.core.ErrorCode;
import io.mom.core.Identity;
import io.mom.core.MomException;
import io.mom.core.Names;
import io.mom.core.Role;
import io.mom.core.spi.UserRecord;
import io.mom.core.spi.UserStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The user directory: salted PBKDF2 password hashes kept in a {@link UserStore}, the permission rules
 * of the API (admins manage users, a user may change their own password), the {@code admin} bootstrap
 * of a first start, and the per-user {@code tokensNotBefore} instant that token verifiers check so that
 * a password change or a deletion invalidates the tokens issued before it.
 *
 * <p>Threading: thread-safe. Reads come from an in-memory copy loaded at construction; changes are
 * serialised on this object and written through to the store before they are applied in memory, so
 * a failed store write changes nothing. Passwords are never logged.
 */
public final class Users implements UserDirectory {
    /** Name of the administrator created on first start. */
    public static final String ADMIN = "admin";
    /** Longest accepted password, in characters. */
    public static final int MAX_PASSWORD_LENGTH = 1024;

    private static final Logger log = LoggerFactory.getLogger(Users.class);

    /** What a token verifier needs to know of a user. */
    public record Account(Identity identity, Instant tokensNotBefore) {
    }

    /**
     * Outcome of {@link #bootstrapAdmin}.
     *
     * @param created           true if this call created the {@code admin} user
     * @param generatedPassword the generated password, when one was generated: show it once, never log it
     */
    public record Bootstrap(boolean created, Optional<String> generatedPassword) {
    }

    private final UserStore store;
    private final PasswordHasher hasher;
    private final Clock clock;
    private final ConcurrentHashMap<String, UserRecord> users = new ConcurrentHashMap<>();
    /** Checked against when the user does not exist, so that unknown names take as long as known ones. */
    private volatile String decoyHash;

    public Users(UserStore store, PasswordHasher hasher, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.hasher = Objects.requireNonNull(hasher, "hasher");
        this.clock = Objects.requireNonNull(clock, "clock");
        for (UserRecord u : store.users()) {
            users.put(u.username(), u);
        }
    }

    /**
     * Creates the {@code admin} user when no administrator exists (a first start): with the configured
     * password if given, else with a generated one that is returned to the caller.
     */
    public synchronized Bootstrap bootstrapAdmin(Optional<String> configuredPassword) {
        if (users.values().stream().anyMatch(u -> u.roles().contains(Role.ADMIN))) {
            return new Bootstrap(false, Optional.empty());
        }
        Optional<String> generated = configuredPassword.isPresent()
                ? Optional.empty() : Optional.of(hasher.generatePassword());
        String password = configuredPassword.orElseGet(generated::get);
        checkPassword(password);
        put(new UserRecord(ADMIN, hasher.hash(password), EnumSet.of(Role.USER, Role.ADMIN), clock.instant()));
        log.info("event=admin_bootstrapped user={} password_source={}", ADMIN,
                generated.isPresent() ? "generated" : "configured");
        return new Bootstrap(true, generated);
    }

    /**
     * The identity of the user if the password is right. Runs one PBKDF2 derivation whether or not the
     * user exists, and compares in constant time.
     */
    public Optional<Identity> authenticate(String username, String password) {
        if (username == null || password == null || password.length() > MAX_PASSWORD_LENGTH) {
            return Optional.empty();
        }
        UserRecord user = users.get(username);
        boolean matches = hasher.matches(password, user != null ? user.passwordHash() : decoyHash());
        return matches && user != null ? Optional.of(identityOf(user)) : Optional.empty();
    }

    /** Made on first use rather than at start-up: one PBKDF2 derivation costs a noticeable fraction of a second. */
    private String decoyHash() {
        String decoy = decoyHash;
        if (decoy == null) {
            decoy = hasher.hash(hasher.generatePassword());
            decoyHash = decoy;
        }
        return decoy;
    }

    /** The current roles and token cut-off of a user; empty if the user does not exist. */
    public Optional<Account> account(String username) {
        UserRecord user = username == null ? null : users.get(username);
        return user == null ? Optional.empty() : Optional.of(new Account(identityOf(user), user.tokensNotBefore()));
    }

    @Override
    public synchronized UserView create(Identity caller, String username, String password, Set<Role> roles) {
        requireAdmin(caller);
        Names.require(username, "user");
        checkPassword(password);
        if (users.containsKey(username)) {
            throw new MomException(ErrorCode.ALREADY_EXISTS, "user " + username + " already exists");
        }
        Set<Role> granted = EnumSet.of(Role.USER);
        if (roles != null) {
            granted.addAll(roles);
        }
        UserRecord user = new UserRecord(username, hasher.hash(password), granted, clock.instant());
        put(user);
        log.info("event=user_created user={} roles={} by={}", username, granted, caller.username());
        return viewOf(user);
    }

    @Override
    public List<UserView> list(Identity caller) {
        requireAdmin(caller);
        return users.values().stream().sorted(Comparator.comparing(UserRecord::username)).map(Users::viewOf).toList();
    }

    @Override
    public synchronized void changePassword(Identity caller, String username, String newPassword) {
        Objects.requireNonNull(caller, "caller");
        if (!caller.isAdmin() && !caller.username().equals(username)) {
            throw MomException.forbidden("only the user or an admin may change a password");
        }
        checkPassword(newPassword);
        UserRecord user = existing(username);
        put(new UserRecord(username, hasher.hash(newPassword), user.roles(), clock.instant()));
        log.info("event=password_changed user={} by={}", username, caller.username());
    }

    @Override
    public synchronized void delete(Identity caller, String username) {
        requireAdmin(caller);
        UserRecord user = existing(username);
        if (user.roles().contains(Role.ADMIN)
                && users.values().stream().filter(u -> u.roles().contains(Role.ADMIN)).count() == 1) {
            throw new MomException(ErrorCode.CONFLICT, "cannot delete the last admin");
        }
        store.deleteUser(username);
        users.remove(username);
        log.info("event=user_deleted user={} by={}", username, caller.username());
    }

    /**
     * Applies a change that another node of a cluster made to the shared user store, without writing
     * the store: {@code user} is the user's record now, or empty when it was deleted.
     */
    public void mirror(String username, Optional<UserRecord> user) {
        Objects.requireNonNull(username, "username");
        if (user.isPresent()) {
            users.put(username, user.get());
        } else {
            users.remove(username);
        }
    }

    private UserRecord existing(String username) {
        UserRecord user = username == null ? null : users.get(username);
        if (user == null) {
            throw MomException.notFound("user " + (Names.isValid(username) ? username : "?"));
        }
        return user;
    }

    private void put(UserRecord user) {
        store.putUser(user);
        users.put(user.username(), user);
    }

    private static void requireAdmin(Identity caller) {
        Objects.requireNonNull(caller, "caller");
        if (!caller.isAdmin()) {
            throw MomException.forbidden("only an admin may manage users");
        }
    }

    private static void checkPassword(String password) {
        if (password == null || password.isEmpty() || password.length() > MAX_PASSWORD_LENGTH) {
            throw MomException.invalid("password must have 1.." + MAX_PASSWORD_LENGTH + " characters");
        }
    }

    private static Identity identityOf(UserRecord user) {
        return new Identity(user.username(), user.roles());
    }

    private static UserView viewOf(UserRecord user) {
        return new UserView(user.username(), user.roles());
    }
}
