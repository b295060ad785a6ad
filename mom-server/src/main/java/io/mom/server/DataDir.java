package io.mom.server;

import io.mom.server.config.ConfigException;
import io.mom.transport.rest.auth.JwtAuthenticator;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

/**
 * Files the server keeps in its data directory: the generated token signing key ({@code jwt-secret}) and
 * the generated admin password ({@code admin-password}), both readable by the owner only (mode 0600).
 */
final class DataDir {
    static final String JWT_SECRET = "jwt-secret";
    static final String ADMIN_PASSWORD = "admin-password";

    private final Path dir;

    DataDir(Path dir) {
        this.dir = dir;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new ConfigException("cannot create the data directory " + dir + ": " + e.getClass().getSimpleName());
        }
    }

    Path path() {
        return dir;
    }

    /** The configured secret, or the one kept in the data dir, generated on first use. */
    String jwtSecret(Optional<String> configured) {
        if (configured.isPresent()) {
            return configured.get();
        }
        Path file = dir.resolve(JWT_SECRET);
        try {
            if (Files.exists(file)) {
                String kept = Files.readString(file, StandardCharsets.UTF_8).trim();
                if (kept.length() < JwtAuthenticator.MIN_SECRET_LENGTH) {
                    throw new ConfigException(file + " must hold at least " + JwtAuthenticator.MIN_SECRET_LENGTH
                            + " characters");
                }
                return kept;
            }
            byte[] random = new byte[32];
            new SecureRandom().nextBytes(random);
            String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
            writePrivate(file, secret);
            return secret;
        } catch (IOException e) {
            throw new ConfigException("cannot keep the token key in " + file + ": " + e.getClass().getSimpleName());
        }
    }

    /** Writes a generated admin password for the operator to read once. */
    Path writeAdminPassword(String password) {
        Path file = dir.resolve(ADMIN_PASSWORD);
        try {
            writePrivate(file, password + "\n");
        } catch (IOException e) {
            throw new ConfigException("cannot write " + file + ": " + e.getClass().getSimpleName());
        }
        return file;
    }

    /** Creates the file with owner-only permissions before any byte is written. */
    private static void writePrivate(Path file, String content) throws IOException {
        Files.deleteIfExists(file);
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(file); // not a POSIX file system
        } catch (FileAlreadyExistsException e) {
            throw new IOException("created concurrently: " + file, e);
        }
        Files.writeString(file, content, StandardCharsets.UTF_8);
    }
}
