package io.mom.server.tls;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A test certificate authority made with the JDK's {@code keytool}: its certificate as a PEM file, and
 * EC certificates it issues for {@code 127.0.0.1}/{@code localhost} (server and client use), written as
 * a PEM chain (the certificate, then the CA's) and a PKCS#8 PEM key. Not thread-safe.
 */
public final class CertificateAuthority {
    private static final String PASSWORD = "changeit";

    /** A certificate issued by the authority. */
    public record Issued(Path cert, Path key) {
    }

    private final Path dir;
    private final Path store;
    /** The authority's certificate, PEM. */
    public final Path cert;

    private CertificateAuthority(Path dir, Path store, Path cert) {
        this.dir = dir;
        this.store = store;
        this.cert = cert;
    }

    /** A new authority named {@code name}, its files in {@code dir}. */
    public static CertificateAuthority create(Path dir, String name) throws Exception {
        Path store = dir.resolve(name + "-ca.p12");
        keytool("-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=" + name,
                "-ext", "bc:c", "-validity", "2", "-keystore", store.toString(), "-storetype", "PKCS12",
                "-storepass", PASSWORD, "-keypass", PASSWORD);
        Path cert = dir.resolve(name + "-ca.pem");
        keytool("-exportcert", "-rfc", "-alias", "ca", "-keystore", store.toString(), "-storepass", PASSWORD,
                "-file", cert.toString());
        return new CertificateAuthority(dir, store, cert);
    }

    /** A certificate for {@code 127.0.0.1} and {@code localhost} with subject {@code CN=<name>}. */
    public Issued issue(String name) throws Exception {
        Path keys = dir.resolve(name + ".p12");
        keytool("-genkeypair", "-alias", "node", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=" + name,
                "-validity", "2", "-keystore", keys.toString(), "-storetype", "PKCS12",
                "-storepass", PASSWORD, "-keypass", PASSWORD);
        Path request = dir.resolve(name + ".csr");
        keytool("-certreq", "-alias", "node", "-keystore", keys.toString(), "-storepass", PASSWORD,
                "-file", request.toString());
        Path signed = dir.resolve(name + "-signed.pem");
        keytool("-gencert", "-rfc", "-alias", "ca", "-keystore", store.toString(), "-storepass", PASSWORD,
                "-infile", request.toString(), "-outfile", signed.toString(), "-validity", "2",
                "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-ext", "EKU=serverAuth,clientAuth");
        Path chain = dir.resolve(name + "-chain.pem");
        Files.writeString(chain, Files.readString(signed) + "\n" + Files.readString(cert));
        Path key = dir.resolve(name + "-key.pem");
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keys)) {
            ks.load(in, PASSWORD.toCharArray());
        }
        PrivateKey privateKey = (PrivateKey) ks.getKey("node", PASSWORD.toCharArray());
        writePem(key, "PRIVATE KEY", privateKey.getEncoded());
        return new Issued(chain, key);
    }

    private static void keytool(String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("keytool " + args[0] + " failed: " + output);
        }
    }

    private static void writePem(Path file, String type, byte[] der) throws IOException {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        Files.writeString(file, "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n");
    }
}
