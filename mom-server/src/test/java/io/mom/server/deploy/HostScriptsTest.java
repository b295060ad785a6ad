package io.mom.server.deploy;

import io.mom.server.Main;
import io.mom.server.MomServer;
import io.mom.server.testing.ExternalTools;
import io.mom.server.tls.PemFiles;
import io.mom.transport.rest.testing.ApiClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The host-side steps of docs/deploy/aws.md that are scripts: the TLS certificates (served by a real
 * server and checked with curl as the guide does), the data volume preparation (on an image file instead
 * of an EBS device), and a ZooKeeper member started from the example configuration the way
 * zookeeper.service starts it, answering {@code ruok} as the guide checks it.
 */
class HostScriptsTest {
    private static final Path DEPLOY = SystemdDeploymentTest.DEPLOY;

    @TempDir
    Path tmp;

    @Test
    void certificatesFromTheScriptServeHttpsThatCurlTrustsWithTheCa() throws Exception {
        Path bash = ExternalTools.require("bash", "bash");
        ExternalTools.require("openssl", "Debian package openssl");
        Path curl = ExternalTools.require("curl", "Debian package curl");
        Path tls = tmp.resolve("tls");
        ExternalTools.Outcome made = ExternalTools.run(List.of(bash.toString(),
                DEPLOY.resolve("tls/make-certs.sh").toString(), tls.toString(), "mom-1:localhost,127.0.0.1",
                "mom-2:mom-2.mom.internal"), tmp, Map.of(), null, 60);
        assertThat(made.exitCode()).as(made.output()).isZero();
        assertThat(tls.resolve("mom-2/node.crt")).exists();

        try (MomServer server = Main.start(new String[]{"--http-port=0", "--data-dir=" + tmp.resolve("data"),
                "--admin-password=pw-tls-test", "--tls-cert=" + tls.resolve("mom-1/node.crt"),
                "--tls-key=" + tls.resolve("mom-1/node.key"), "--tls-ca=" + tls.resolve("ca.crt")}, Map.of(),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8))) {
            assertThat(server.restUrl()).startsWith("https://127.0.0.1:");
            ApiClient api = new ApiClient(server.restUrl(), PemFiles.trustingContext(tls.resolve("ca.crt")));
            assertThat(api.get("/v1/auth/me", api.login("admin", "pw-tls-test")).status()).isEqualTo(200);

            String url = "https://localhost:" + server.restPort() + "/healthz";
            ExternalTools.Outcome trusted = ExternalTools.run(List.of(curl.toString(), "-sS", "--cacert",
                    tls.resolve("ca.crt").toString(), url), tmp, Map.of(), null, 30);
            assertThat(trusted.exitCode()).as(trusted.output()).isZero();
            assertThat(trusted.output()).contains("\"status\":\"UP\"");
            ExternalTools.Outcome untrusted = ExternalTools.run(List.of(curl.toString(), "-sS", url), tmp,
                    Map.of("SSL_CERT_FILE", tmp.resolve("nothing.pem").toString()), null, 30);
            assertThat(untrusted.exitCode()).isNotZero();
        }
        // Adding a node later keeps the CA.
        String ca = Files.readString(tls.resolve("ca.crt"));
        ExternalTools.Outcome more = ExternalTools.run(List.of(bash.toString(),
                DEPLOY.resolve("tls/make-certs.sh").toString(), tls.toString(), "mom-3:10.0.3.11"), tmp, Map.of(),
                null, 60);
        assertThat(more.exitCode()).as(more.output()).isZero();
        assertThat(tls.resolve("ca.crt")).hasContent(ca);
    }

    @Test
    void theDataVolumeIsFormattedOnceAndMountedByUuidWithNofail() throws Exception {
        Path bash = ExternalTools.require("bash", "bash");
        ExternalTools.require("mkfs.ext4", "Debian package e2fsprogs");
        ExternalTools.require("blkid", "Debian package util-linux");
        Path volume = tmp.resolve("volume.img");
        try (var f = new java.io.RandomAccessFile(volume.toFile(), "rw")) {
            f.setLength(64L << 20);
        }
        Path fstab = Files.writeString(tmp.resolve("fstab"), "# existing entries\n");
        List<String> command = List.of(bash.toString(), DEPLOY.resolve("mount-data-volume.sh").toString(),
                "--fstab", fstab.toString(), "--no-mount", volume.toString(), tmp.resolve("mom").toString());
        Map<String, String> env = Map.of("MOM_FS_TYPE", "ext4", "PATH", "/usr/sbin:/sbin:" + System.getenv("PATH"));

        ExternalTools.Outcome first = ExternalTools.run(command, tmp, env, null, 60);
        assertThat(first.exitCode()).as(first.output()).isZero();
        assertThat(first.output()).contains("Formatting");
        ExternalTools.Outcome second = ExternalTools.run(command, tmp, env, null, 60);
        assertThat(second.exitCode()).as(second.output()).isZero();
        assertThat(second.output()).contains("kept as it is").doesNotContain("Formatting");

        List<String> entries = Files.readAllLines(fstab).stream().filter(l -> l.startsWith("UUID=")).toList();
        assertThat(entries).singleElement().satisfies(l -> assertThat(l)
                .matches("UUID=[0-9a-f-]{36} " + tmp.resolve("mom") + " ext4 defaults,noatime,nofail 0 2"));
        assertThat(tmp.resolve("mom")).isDirectory();
    }

    @Test
    void aZooKeeperMemberStartedLikeTheUnitAnswersRuok() throws Exception {
        int port = freePort();
        Path data = Files.createDirectories(tmp.resolve("zk"));
        Files.writeString(data.resolve("myid"), "1\n");
        // The example, on this machine: local data, a free port, and only this member (standalone).
        StringBuilder cfg = new StringBuilder();
        for (String line : Files.readAllLines(DEPLOY.resolve("zookeeper/zoo.cfg.example"))) {
            if (line.startsWith("server.")) {
                continue;
            }
            cfg.append(line.replace("dataDir=/var/lib/zookeeper", "dataDir=" + data)
                    .replace("clientPort=2181", "clientPort=" + port)).append('\n');
        }
        Path file = Files.writeString(tmp.resolve("zoo.cfg"), cfg.toString());
        String javaBin = ProcessHandle.current().info().command().orElseThrow();
        Process zk = new ProcessBuilder(javaBin, "-Xmx128m", "-cp", System.getProperty("java.class.path"),
                "org.apache.zookeeper.server.quorum.QuorumPeerMain", file.toString())
                .redirectErrorStream(true).redirectOutput(tmp.resolve("zk.out").toFile()).start();
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> "imok".equals(fourLetters(port, "ruok")));
            // imok comes as soon as it listens; srvr tells once it serves.
            await().atMost(Duration.ofSeconds(60)).until(() -> fourLetters(port, "srvr").contains("Mode: standalone"));
        } finally {
            zk.destroy();
            if (!zk.waitFor(10, TimeUnit.SECONDS)) {
                zk.destroyForcibly();
            }
        }
    }

    @Test
    void thePrometheusExamplesPassPromtool() throws Exception {
        Path promtool = ExternalTools.require("promtool", "Debian package prometheus");
        Path dir = Files.createDirectories(tmp.resolve("prometheus"));
        Path ca = Files.writeString(dir.resolve("mom-ca.crt"), "");
        Files.writeString(dir.resolve("prometheus.yml"), Files.readString(DEPLOY.resolve(
                "prometheus/prometheus.yml.example")).replace("/etc/prometheus/mom-ca.crt", ca.toString()));
        Files.copy(DEPLOY.resolve("prometheus/mom-alerts.yml"), dir.resolve("mom-alerts.yml"));

        ExternalTools.Outcome config = ExternalTools.run(List.of(promtool.toString(), "check", "config",
                "prometheus.yml"), dir, Map.of(), null, 60);
        assertThat(config.exitCode()).as(config.output()).isZero();
        assertThat(config.output()).contains("SUCCESS: 1 rule files found");
        ExternalTools.Outcome rules = ExternalTools.run(List.of(promtool.toString(), "check", "rules",
                "mom-alerts.yml"), dir, Map.of(), null, 60);
        assertThat(rules.exitCode()).as(rules.output()).isZero();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** ZooKeeper's four-letter commands, as {@code echo ruok | nc host 2181} sends them. */
    private static String fourLetters(int port, String command) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            out.write(command.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            return "";
        }
    }
}
