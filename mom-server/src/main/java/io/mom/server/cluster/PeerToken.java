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
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Node-to-node credentials: a short-lived token, signed with the shared cluster secret (HMAC-SHA256),
 * naming the user a call is made for. A node forwarding a request sends it as its bearer token, so
 * the leader runs the request as the original caller; the replication service checks it too.
 * Format: {@code mom-peer.<base64url(user \n roles \n issuedMillis)>.<base64url(mac)>}.
 * A token issued for a caller is reused for a quarter of its validity (every forwarded call would
 * otherwise compute a new MAC). Thread-safe.
 */
public final class PeerToken {
    static final String PREFIX = "mom-peer.";
    private static final Duration MAX_AGE = Duration.ofMinutes(2);
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();

    private static final long REUSE_MILLIS = MAX_AGE.toMillis() / 4;
    private static final int MAX_CACHED = 1024;

    private final byte[] secret;
    private final Clock clock;
    private final Map<Identity, Issued> issued = new ConcurrentHashMap<>();
    /** Tokens whose MAC was checked, with what they name. */
    private final Map<String, Verified> verified = new ConcurrentHashMap<>();

    private record Issued(String token, long atMillis) {
    }

    private record Verified(Identity identity, long issuedMillis) {
    }

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
        long now = clock.millis();
        Issued last = issued.get(caller);
        if (last != null && now - last.atMillis() >= 0 && now - last.atMillis() < REUSE_MILLIS) {
            return last.token();
        }
        if (issued.size() >= MAX_CACHED) {
            issued.clear();
        }
        String token = sign(caller, now);
        issued.put(caller, new Issued(token, now));
        return token;
    }

    private String sign(Identity caller, long now) {
        String roles = caller.roles().stream().map(Enum::name).sorted().collect(Collectors.joining(","));
        String body = B64.encodeToString((caller.username() + "\n" + roles + "\n" + now)
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
        Verified known = verified.get(token);
        if (known != null) {
            return fresh(known.issuedMillis()) ? Optional.of(known.identity()) : Optional.empty();
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
            if (fields.length != 3 || !fresh(issued)) {
                return Optional.empty();
            }
            Set<Role> roles = EnumSet.noneOf(Role.class);
            for (String r : fields[1].split(",")) {
                if (!r.isEmpty()) {
                    roles.add(Role.valueOf(r.toUpperCase(Locale.ROOT)));
                }
            }
            Identity identity = new Identity(fields[0], roles);
            if (verified.size() >= MAX_CACHED) {
                verified.clear();
            }
            verified.put(token, new Verified(identity, issued));
            return Optional.of(identity);
        } catch (IllegalArgumentException | ArrayIndexOutOfBoundsException e) {
            return Optional.empty();
        }
    }

    private boolean fresh(long issuedMillis) {
        long age = clock.millis() - issuedMillis;
        return age <= MAX_AGE.toMillis() && age >= -MAX_AGE.toMillis();
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
