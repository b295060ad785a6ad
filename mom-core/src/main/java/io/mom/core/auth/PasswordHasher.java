package io.mom.core.auth;

import io.mom.core.MomException;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

/**
 * Salted, slow password hashes with PBKDF2-HMAC-SHA256 from the JDK. An encoded hash reads
 * {@code pbkdf2-sha256$<iterations>$<salt>$<hash>} (salt and hash in Base64), so the iteration count can
 * be raised later without invalidating stored hashes. Comparison is constant-time.
 *
 * <p>Immutable and thread-safe.
 */
public final class PasswordHasher {
    /** The production work factor (OWASP guidance for PBKDF2-HMAC-SHA256 is in this range). */
    public static final int DEFAULT_ITERATIONS = 210_000;

    private static final String PREFIX = "pbkdf2-sha256";
    private static final String ALGORITHM = "PBKDF2WithHmacSHA256";
    private static final int SALT_BYTES = 16;
    private static final int HASH_BITS = 256;

    private final int iterations;
    private final SecureRandom random = new SecureRandom();

    /** @param iterations PBKDF2 rounds for new hashes; tests use small numbers to stay fast */
    public PasswordHasher(int iterations) {
        if (iterations < 1) {
            throw MomException.invalid("iterations must be positive");
        }
        this.iterations = iterations;
    }

    public static PasswordHasher defaults() {
        return new PasswordHasher(DEFAULT_ITERATIONS);
    }

    /** A new encoded hash of the password with a fresh random salt. */
    public String hash(String password) {
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        byte[] hash = derive(password, salt, iterations);
        Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
        return PREFIX + "$" + iterations + "$" + b64.encodeToString(salt) + "$" + b64.encodeToString(hash);
    }

    /**
     * True when the password matches the encoded hash. Takes the same time whatever the position of the
     * first differing byte; a malformed encoding never matches.
     */
    public boolean matches(String password, String encoded) {
        String[] parts = encoded.split("\\$", -1);
        if (parts.length != 4 || !PREFIX.equals(parts[0])) {
            return false;
        }
        int rounds;
        byte[] salt;
        byte[] expected;
        try {
            rounds = Integer.parseInt(parts[1]);
            salt = Base64.getDecoder().decode(parts[2]);
            expected = Base64.getDecoder().decode(parts[3]);
        } catch (IllegalArgumentException e) {
            return false;
        }
        if (rounds < 1 || expected.length == 0) {
            return false;
        }
        return MessageDigest.isEqual(expected, derive(password, salt, rounds));
    }

    private static byte[] derive(String password, byte[] salt, int rounds) {
        char[] chars = password.toCharArray();
        PBEKeySpec spec = new PBEKeySpec(chars, salt, rounds, HASH_BITS);
        try {
            return SecretKeyFactory.getInstance(ALGORITHM).generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is missing from this JVM", e);
        } finally {
            spec.clearPassword();
            Arrays.fill(chars, '\0');
        }
    }

    /**
     * A random password of 24 letters and digits (about 142 bits), for generated admin passwords; no
     * punctuation, so it pastes safely into shells and flags.
     */
    public String generatePassword() {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        StringBuilder sb = new StringBuilder(24);
        for (int i = 0; i < 24; i++) {
            sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return sb.toString();
    }
}
