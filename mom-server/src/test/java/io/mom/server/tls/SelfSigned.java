package io.mom.server.tls;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.util.Base64;
import java.util.List;

/**
 * A self-signed certificate for {@code 127.0.0.1}/{@code localhost}, made with the JDK's {@code keytool}
 * and written as PEM files in the key format a test asks for.
 */
public final class SelfSigned {
    /** How the private key is written. */
    public enum KeyFormat { PKCS8, PKCS1_RSA, SEC1_EC }

    public final Path cert;
    public final Path key;

    private SelfSigned(Path cert, Path key) {
        this.cert = cert;
        this.key = key;
    }

    public static SelfSigned create(Path dir, KeyFormat format) throws Exception {
        boolean ec = format == KeyFormat.SEC1_EC;
        Path store = dir.resolve("keystore-" + format + ".p12");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        List<String> command = new java.util.ArrayList<>(List.of(keytool, "-genkeypair", "-alias", "mom",
                "-keyalg", ec ? "EC" : "RSA", "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1,dns:localhost",
                "-validity", "2", "-keystore", store.toString(), "-storetype", "PKCS12", "-storepass", "changeit",
                "-keypass", "changeit"));
        command.addAll(ec ? List.of("-groupname", "secp256r1") : List.of("-keysize", "2048"));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException("keytool failed: " + output);
        }
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            ks.load(in, "changeit".toCharArray());
        }
        Certificate cert = ks.getCertificate("mom");
        PrivateKey key = (PrivateKey) ks.getKey("mom", "changeit".toCharArray());
        Path certFile = dir.resolve("cert-" + format + ".pem");
        Path keyFile = dir.resolve("key-" + format + ".pem");
        write(certFile, "CERTIFICATE", cert.getEncoded());
        byte[] pkcs8 = key.getEncoded();
        switch (format) {
            case PKCS8:
                write(keyFile, "PRIVATE KEY", pkcs8);
                break;
            case PKCS1_RSA:
                write(keyFile, "RSA PRIVATE KEY", innerKey(pkcs8));
                break;
            default:
                write(keyFile, "EC PRIVATE KEY", sec1WithCurve(pkcs8));
                break;
        }
        return new SelfSigned(certFile, keyFile);
    }

    /** The key inside a PKCS#8 wrapper (for RSA, the PKCS#1 structure). */
    private static byte[] innerKey(byte[] pkcs8) {
        return Der.parse(pkcs8).children().get(2).content();
    }

    /** SEC1 as OpenSSL writes it: the inner EC key with the named curve added as {@code [0]}. */
    private static byte[] sec1WithCurve(byte[] pkcs8) {
        List<Der.Element> top = Der.parse(pkcs8).children();
        byte[] curve = top.get(1).children().get(1).encoded();
        List<Der.Element> sec1 = Der.parse(top.get(2).content()).children();
        return Der.sequence(sec1.get(0).encoded(), sec1.get(1).encoded(), Der.encode(Der.CONTEXT_0, curve));
    }

    private static void write(Path file, String type, byte[] der) throws IOException {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        Files.writeString(file, "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n");
    }
}
