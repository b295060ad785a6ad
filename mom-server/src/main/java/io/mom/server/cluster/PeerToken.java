package io.mom.server.cluster;

import io.mom.core.Identity;
import io.mom.core.Role;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Node-to-node credentials: a short-lived token, signed with the shared cluster secret (HMAC-SHA256),
 * naming the user a call is made for. A node forwarding a request sends it as its bearer token, so
 * the leader runs the request as the original caller; the replication service checks it too.
 * Format: {@code mom-peer.<base64url(user \n roles \n issuedMillis)>.<base64url(mac)>}.
 * Immutable and thread-safe.
 */
public final class PeerToken {
    static final String PREFIX = "mom-peer.";
    private static final Duration MAX_AGE = Duration.ofMinutes(2);
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();

    private final byte[] secret;
    private final Clock clock;

    public PeerToken(byte[] secret, Clock clock) {
        if (secret.length < 16) {
            throw new IllegalArgumentException("the cluster secret is too short");
        }
        this.secret = secret.clone();
        this.clock = clock;
    }

    /** The cluster secret derived from the JWT key when {@code MOM_CLUSTER_SECRET} is not set. */
    static byte[] derive(byte[] jwtKey) {
        return hmac(jwtKey, "mom-cluster-secret".getBytes(StandardCharsets.UTF_8));
    }

    /** A token for calls made on behalf of {@code caller}. */
    public String issue(Identity caller) {
        String roles = caller.roles().stream().map(Enum::name).sorted().collect(Collectors.joining(","));
        String body = B64.encodeToString((caller.username() + "\n" + roles + "\n" + clock.millis())
                .getBytes(StandardCharsets.UTF_8));
        return PREFIX + body + "." + B64.encodeToString(hmac(secret, body.getBytes(StandardCharsets.UTF_8)));
    }

    static boolean looksLikePeerToken(String token) {
        return token != null && token.startsWith(PREFIX);
    }

    /** The identity a valid, fresh token names; empty when it is forged, malformed or too old. */
    public Optional<Identity> verify(String token) {
        if (!looksLikePeerToken(token)) {
            return Optional.empty();
        }
        String rest = token.substring(PREFIX.length());
        int dot = rest.indexOf('.');
        if (dot < 0) {
            return Optional.empty();
        }
        String body = rest.substring(0, dot);
        try {
            byte[] mac = B64D.decode(rest.substring(dot + 1));
            if (!MessageDigest.isEqual(mac, hmac(secret, body.getBytes(StandardCharsets.UTF_8)))) {
                return Optional.empty();
            }
            String[] fields = new String(B64D.decode(body), StandardCharsets.UTF_8).split("\n", -1);
            long issued = Long.parseLong(fields[2]);
            long age = clock.millis() - issued;
            if (fields.length != 3 || age > MAX_AGE.toMillis() || age < -MAX_AGE.toMillis()) {
                return Optional.empty();
            }
            Set<Role> roles = EnumSet.noneOf(Role.class);
            for (String r : fields[1].split(",")) {
                if (!r.isEmpty()) {
                    roles.add(Role.valueOf(r.toUpperCase(Locale.ROOT)));
                }
            }
            return Optional.of(new Identity(fields[0], roles));
        } catch (IllegalArgumentException | ArrayIndexOutOfBoundsException e) {
            return Optional.empty();
        }
    }

    private static byte[] hmac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is unavailable", e);
        }
    }
}
