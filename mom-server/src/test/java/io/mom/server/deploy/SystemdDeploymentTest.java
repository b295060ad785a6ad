package io.mom.server.deploy;

import io.mom.server.config.ConfigLoader;
import io.mom.server.config.ServerConfig;
import io.mom.server.testing.ExternalTools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What docs/deploy/aws.md has an operator run on a host, on this machine: {@code deploy/install.sh} (staged
 * under a directory), the systemd units (checked by {@code systemd-analyze verify}) and the example
 * environment file (loaded by the server's own configuration loader).
 */
class SystemdDeploymentTest {
    static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    static final Path DEPLOY = REPO.resolve("deploy");

    @TempDir
    Path tmp;

    @Test
    void theExampleEnvironmentFileIsAValidConfigurationOfAClusterNode() throws Exception {
        Map<String, String> env = EnvironmentFile.read(DEPLOY.resolve("systemd/mom.env.example"));
        assertThat(env).containsKey("JAVA_OPTS");

        ServerConfig c = ConfigLoader.load(new String[0], env);

        assertThat(c.node().id()).isEqualTo("mom-1");
        assertThat(c.node().bind()).isEqualTo("0.0.0.0");
        assertThat(c.node().advertisedHost()).isEqualTo("mom-1.mom.internal");
        assertThat(c.node().dataDir()).isEqualTo(Path.of("/var/lib/mom"));
        assertThat(c.store().kind()).isEqualTo(ServerConfig.Store.Kind.ROCKSDB);
        assertThat(c.cluster().zkConnect()).contains(
                "zk-1.mom.internal:2181,zk-2.mom.internal:2181,zk-3.mom.internal:2181");
        assertThat(c.cluster().replicationFactor()).isEqualTo(2);
        assertThat(c.cluster().failoverGrace()).isEqualTo(Duration.ofMinutes(10));
        assertThat(c.security().jwtSecret()).isPresent();
        assertThat(c.security().tlsCert()).contains(Path.of("/etc/mom/tls/node.crt"));
        assertThat(c.security().tlsKey()).contains(Path.of("/etc/mom/tls/node.key"));
        assertThat(c.security().tlsCa()).contains(Path.of("/etc/mom/tls/ca.crt"));
        assertThat(c.observability().logDir()).contains(Path.of("/var/log/mom"));
        assertThat(c.observability().metricsMaxDestinations()).isEqualTo(1000);
        // The unit reads exactly this file and keeps the data where the example says.
        String unit = Files.readString(DEPLOY.resolve("systemd/mom.service"), StandardCharsets.UTF_8);
        assertThat(unit).contains("EnvironmentFile=/etc/mom/mom.env", "StateDirectory=mom", "LogsDirectory=mom",
                "WorkingDirectory=/var/lib/mom", "-jar /opt/mom/mom-server.jar");
    }

    @Test
    void theUnitsPassSystemdAnalyzeVerify() throws Exception {
        Path analyze = ExternalTools.require("systemd-analyze", "Debian package systemd");
        List<String> command = new ArrayList<>(List.of(analyze.toString(), "verify"));
        for (String unit : List.of("mom.service", "zookeeper.service")) {
            String text = Files.readString(DEPLOY.resolve("systemd").resolve(unit), StandardCharsets.UTF_8);
            if (!Files.isExecutable(Path.of("/usr/bin/java"))) {
                // verify checks that ExecStart exists: point it at this JVM where java lives elsewhere.
                String java = ProcessHandle.current().info().command().orElseThrow();
                text = text.replace("/usr/bin/java", java);
            }
            Path copy = tmp.resolve(unit);
            Files.writeString(copy, text, StandardCharsets.UTF_8);
            command.add(copy.toString());
        }
        ExternalTools.Outcome o = ExternalTools.run(command, tmp, Map.of(), null, 60);
        assertThat(o.exitCode()).as(o.output()).isZero();
        // verify also exits 0 on settings it ignores ("Invalid environment assignment, ignoring"): none allowed.
        assertThat(o.output()).as("systemd-analyze verify complaints").isBlank();
    }

    @Test
    void theInstallScriptLaysOutANodeAndKeepsAnEditedEnvironmentFile() throws Exception {
        Path root = tmp.resolve("node");
        List<String> install = install(root);

        ExternalTools.Outcome first = ExternalTools.run(install, tmp, Map.of(), null, 60);

        assertThat(first.exitCode()).as(first.output()).isZero();
        assertThat(root.resolve("opt/mom/mom-server.jar")).hasContent("not really a jar");
        assertThat(root.resolve("etc/systemd/system/mom.service")).hasSameTextualContentAs(
                DEPLOY.resolve("systemd/mom.service"));
        assertThat(root.resolve("etc/mom/mom.env")).hasSameTextualContentAs(
                DEPLOY.resolve("systemd/mom.env.example"));
        assertThat(mode(root.resolve("etc/mom/mom.env"))).isEqualTo("rw-r-----");
        assertThat(mode(root.resolve("etc/mom"))).isEqualTo("rwxr-x---");
        assertThat(root.resolve("etc/mom/tls")).isDirectory();
        assertThat(root.resolve("opt/mom/docs/deploy/aws.md")).exists();
        assertThat(root.resolve("opt/mom/docs/configuration.md")).exists();
        assertThat(root.resolve("etc/systemd/system/zookeeper.service")).doesNotExist();
        assertThat(first.output()).contains("skipped on the live system", "useradd --system", " mom",
                "chgrp -R mom /etc/mom", "systemctl daemon-reload");

        Files.writeString(root.resolve("etc/mom/mom.env"), "MOM_NODE_ID=edited\n");
        ExternalTools.Outcome second = ExternalTools.run(install, tmp, Map.of(), null, 60);
        assertThat(second.exitCode()).as(second.output()).isZero();
        assertThat(root.resolve("etc/mom/mom.env")).hasContent("MOM_NODE_ID=edited");
    }

    @Test
    void theInstallScriptLaysOutAZooKeeperMember() throws Exception {
        Path root = tmp.resolve("zk");
        List<String> install = new ArrayList<>(install(root));
        install.addAll(install.size() - 1, List.of("--zookeeper", "2")); // before the jar

        ExternalTools.Outcome out = ExternalTools.run(install, tmp, Map.of(), null, 60);

        assertThat(out.exitCode()).as(out.output()).isZero();
        assertThat(root.resolve("opt/mom/mom-server.jar")).exists();
        assertThat(root.resolve("etc/systemd/system/zookeeper.service")).hasSameTextualContentAs(
                DEPLOY.resolve("systemd/zookeeper.service"));
        assertThat(root.resolve("etc/zookeeper/zoo.cfg")).hasSameTextualContentAs(
                DEPLOY.resolve("zookeeper/zoo.cfg.example"));
        assertThat(root.resolve("var/lib/zookeeper/myid")).hasContent("2");
        assertThat(root.resolve("etc/systemd/system/mom.service")).doesNotExist();
        assertThat(out.output()).contains("useradd --system", " zookeeper", "chown -R zookeeper:zookeeper");

        List<String> bad = new ArrayList<>(install(root));
        bad.addAll(bad.size() - 1, List.of("--zookeeper", "0"));
        assertThat(ExternalTools.run(bad, tmp, Map.of(), null, 60).exitCode()).isEqualTo(2);
    }

    /** {@code bash install.sh --root ROOT JAR} with a stand-in jar. */
    private List<String> install(Path root) throws Exception {
        Path bash = ExternalTools.require("bash", "bash");
        Path jar = tmp.resolve("mom-server.jar");
        if (!Files.exists(jar)) {
            Files.writeString(jar, "not really a jar");
        }
        return List.of(bash.toString(), DEPLOY.resolve("install.sh").toString(), "--root", root.toString(),
                jar.toString());
    }

    private static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test
    void theZooKeeperExampleIsAThreeMemberEnsembleWithTheAdminServerOff() throws Exception {
        Path data = Files.createDirectories(tmp.resolve("zk"));
        Files.writeString(data.resolve("myid"), "1\n");
        Path cfg = tmp.resolve("zoo.cfg");
        Files.writeString(cfg, Files.readString(DEPLOY.resolve("zookeeper/zoo.cfg.example"), StandardCharsets.UTF_8)
                .replace("dataDir=/var/lib/zookeeper", "dataDir=" + data), StandardCharsets.UTF_8);

        java.util.Properties before = (java.util.Properties) System.getProperties().clone();
        org.apache.zookeeper.server.quorum.QuorumPeerConfig parsed =
                new org.apache.zookeeper.server.quorum.QuorumPeerConfig();
        try {
            parsed.parse(cfg.toString());
            // ZooKeeper hands keys it does not model to its components as zookeeper.* system properties.
            assertThat(System.getProperty("zookeeper.admin.enableServer")).isEqualTo("false");
            assertThat(System.getProperty("zookeeper.4lw.commands.whitelist")).isEqualTo("ruok,mntr,srvr");
        } finally {
            System.setProperties(before);
        }

        assertThat(parsed.getServerId()).isEqualTo(1);
        assertThat(parsed.getQuorumVerifier().getVotingMembers()).hasSize(3);
        assertThat(parsed.getClientPortAddress().getPort()).isEqualTo(2181);
        String unit = Files.readString(DEPLOY.resolve("systemd/zookeeper.service"), StandardCharsets.UTF_8);
        assertThat(unit).contains("org.apache.zookeeper.server.quorum.QuorumPeerMain /etc/zookeeper/zoo.cfg",
                "StateDirectory=zookeeper");
    }
}
