package io.mom.server.tls;

import io.mom.server.config.ConfigException;

import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * TLS material from PEM files, with the JDK only: a certificate chain and an unencrypted private key in
 * PKCS#8 ({@code PRIVATE KEY}), PKCS#1 ({@code RSA PRIVATE KEY}) or SEC1 ({@code EC PRIVATE KEY}) form.
 * Errors name the file and never include key material. Stateless.
 */
public final class PemFiles {
    private static final Pattern BLOCK =
            Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]*)-----END \\1-----");
    private static final String RSA_OID = "1.2.840.113549.1.1.1";
    private static final String EC_OID = "1.2.840.10045.2.1";

    private PemFiles() {
    }

    /** A server context presenting {@code certFile}'s chain with {@code keyFile}'s key. */
    public static SSLContext serverContext(Path certFile, Path keyFile) {
        KeyManager[] keyManagers = keyManagers(certFile, keyFile);
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keyManagers, null, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new ConfigException("no TLS implementation for " + certFile + ": " + e.getClass().getSimpleName());
        }
    }

    /** Key managers presenting {@code certFile}'s chain with {@code keyFile}'s key (for the gRPC listener). */
    public static KeyManager[] keyManagers(Path certFile, Path keyFile) {
        List<X509Certificate> chain = certificates(certFile);
        PrivateKey key = privateKey(keyFile);
        try {
            char[] password = randomPassword();
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("mom", key, password, chain.toArray(new Certificate[0]));
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(store, password);
            return kmf.getKeyManagers();
        } catch (GeneralSecurityException | IOException e) {
            throw new ConfigException("the key in " + keyFile + " does not match the certificate in " + certFile
                    + " or is not usable: " + e.getClass().getSimpleName());
        }
    }

    /** A context that trusts the certificates of {@code caFile} (for clients and tests). */
    public static SSLContext trustingContext(Path caFile) {
        TrustManager[] trust = trustManagers(caFile);
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new ConfigException("no TLS implementation for " + caFile + ": " + e.getClass().getSimpleName());
        }
    }

    /**
     * Trust managers that accept a chain leading to any certificate of {@code caFile} (every certificate in
     * it is a trust anchor, so a bundle of CAs or a node's own chain both work).
     */
    public static TrustManager[] trustManagers(Path caFile) {
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            int i = 0;
            for (X509Certificate c : certificates(caFile)) {
                trust.setCertificateEntry("ca" + i++, c);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            return tmf.getTrustManagers();
        } catch (GeneralSecurityException | IOException e) {
            throw new ConfigException("cannot build a trust store from " + caFile + ": " + e.getClass().getSimpleName());
        }
    }

    /** The certificates of a PEM file, in order. */
    public static List<X509Certificate> certificates(Path file) {
        List<X509Certificate> out = new ArrayList<>();
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            for (Block b : blocks(file)) {
                if (b.type().equals("CERTIFICATE")) {
                    Collection<? extends Certificate> certs =
                            factory.generateCertificates(new ByteArrayInputStream(b.der()));
                    certs.forEach(c -> out.add((X509Certificate) c));
                }
            }
        } catch (GeneralSecurityException e) {
            throw new ConfigException(file + " holds an unreadable certificate");
        }
        if (out.isEmpty()) {
            throw new ConfigException(file + " holds no PEM certificate");
        }
        return out;
    }

    /** The private key of a PEM file. */
    public static PrivateKey privateKey(Path file) {
        for (Block b : blocks(file)) {
            try {
                switch (b.type()) {
                    case "PRIVATE KEY":
                        return pkcs8(b.der());
                    case "RSA PRIVATE KEY":
                        return pkcs8(Der.sequence(Der.integer(0), Der.sequence(Der.oid(RSA_OID), Der.nullValue()),
                                Der.octetString(b.der())));
                    case "EC PRIVATE KEY":
                        return pkcs8(Der.sequence(Der.integer(0), Der.sequence(Der.oid(EC_OID), curveOf(b.der())),
                                Der.octetString(b.der())));
                    case "ENCRYPTED PRIVATE KEY":
                        throw new ConfigException(file + " holds an encrypted key; give an unencrypted one");
                    default:
                        break;
                }
            } catch (GeneralSecurityException | IllegalArgumentException e) {
                throw new ConfigException(file + " holds an unreadable " + b.type().toLowerCase() + " (RSA or EC keys"
                        + " are supported)");
            }
        }
        throw new ConfigException(file + " holds no PEM private key");
    }

    /** The named-curve parameters ({@code [0]}) of a SEC1 key, as the encoded OID. */
    private static byte[] curveOf(byte[] sec1) {
        for (Der.Element e : Der.parse(sec1).children()) {
            if (e.tag() == Der.CONTEXT_0) {
                Der.Element oid = Der.parse(e.content());
                if (oid.tag() == Der.OID) {
                    return oid.encoded();
                }
            }
        }
        throw new IllegalArgumentException("SEC1 key without named curve");
    }

    private static PrivateKey pkcs8(byte[] der) throws GeneralSecurityException {
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
        GeneralSecurityException last = null;
        for (String algorithm : new String[]{"RSA", "EC"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (GeneralSecurityException e) {
                last = e;
            }
        }
        throw last;
    }

    private record Block(String type, byte[] der) {
    }

    private static List<Block> blocks(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new ConfigException("cannot read " + file + ": " + e.getClass().getSimpleName());
        }
        List<Block> out = new ArrayList<>();
        Matcher m = BLOCK.matcher(text);
        while (m.find()) {
            try {
                out.add(new Block(m.group(1), Base64.getMimeDecoder().decode(m.group(2))));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(file + " holds a malformed PEM block");
            }
        }
        return out;
    }

    private static char[] randomPassword() {
        byte[] bytes = new byte[16];
        new SecureRandom().nextBytes(bytes);
        return Base64.getEncoder().encodeToString(bytes).toCharArray();
    }
}
