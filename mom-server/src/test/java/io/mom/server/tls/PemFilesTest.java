package io.mom.server.tls;

import io.mom.server.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateKey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PemFilesTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(SelfSigned.KeyFormat.class)
    void readsEveryKeyFormatIntoAServerContext(SelfSigned.KeyFormat format) throws Exception {
        SelfSigned s = SelfSigned.create(dir, format);
        PrivateKey key = PemFiles.privateKey(s.key);
        assertThat(key).isInstanceOf(format == SelfSigned.KeyFormat.SEC1_EC ? ECPrivateKey.class : RSAPrivateKey.class);
        assertThat(PemFiles.certificates(s.cert)).hasSize(1);
        assertThat(PemFiles.serverContext(s.cert, s.key).getProtocol()).isEqualTo("TLS");
    }

    @Test
    void explainsUnusableFilesWithoutShowingKeys() throws Exception {
        Path encrypted = dir.resolve("enc.pem");
        Files.writeString(encrypted, "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n");
        assertThatThrownBy(() -> PemFiles.privateKey(encrypted)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("encrypted");
        Path garbage = dir.resolve("garbage.pem");
        Files.writeString(garbage, "-----BEGIN PRIVATE KEY-----\nAAAAAAAA\n-----END PRIVATE KEY-----\n");
        assertThatThrownBy(() -> PemFiles.privateKey(garbage)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("unreadable").hasMessageNotContaining("AAAAAAAA");
        assertThatThrownBy(() -> PemFiles.certificates(garbage)).hasMessageContaining("no PEM certificate");
        assertThatThrownBy(() -> PemFiles.privateKey(dir.resolve("missing.pem"))).hasMessageContaining("cannot read");
    }
}
