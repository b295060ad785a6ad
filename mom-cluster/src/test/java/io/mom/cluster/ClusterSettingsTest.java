package io.mom.cluster;

import io.mom.core.ErrorCode;
import io.mom.core.MomException;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClusterSettingsTest {

    private static ClusterSettings.Builder minimal() {
        return ClusterSettings.builder().zkConnect("127.0.0.1:2181").nodeId("node-1");
    }

    @Test
    void defaultsFollowTheDesign() {
        ClusterSettings settings = minimal().build();

        assertThat(settings.clusterName()).isEqualTo("default");
        assertThat(settings.namespace()).isEqualTo("mom/default");
        assertThat(settings.zkRoot()).isEqualTo("/mom/default");
        assertThat(settings.sessionTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(settings.replicationFactor()).isEqualTo(2);
        assertThat(settings.minInSync()).isEqualTo(1);
        assertThat(settings.failoverGrace()).isEqualTo(Duration.ofMinutes(10));
        assertThat(settings.loadRedirectThreshold()).isEmpty();
        assertThat(settings.restAddress()).isEmpty();
    }

    @Test
    void toBuilderCopiesEveryValue() {
        ClusterSettings settings = minimal().clusterName("prod").restAddress("h:8080").grpcAddress("h:9090")
                .sessionTimeout(Duration.ofSeconds(3)).replicationFactor(3).minInSync(2)
                .failoverGrace(Duration.ofSeconds(30)).loadRedirectThreshold(100).build();

        assertThat(settings.toBuilder().build()).isEqualTo(settings);
        assertThat(settings.toBuilder().nodeId("node-2").build().nodeId()).isEqualTo("node-2");
    }

    @Test
    void requiredValuesAreChecked() {
        assertInvalid(ClusterSettings.builder().nodeId("n"), "zkConnect");
        assertInvalid(ClusterSettings.builder().zkConnect("z:1"), "nodeId");
    }

    @Test
    void namesMustBeSafeInZooKeeperPaths() {
        assertInvalid(minimal().nodeId("a/b"), "nodeId");
        assertInvalid(minimal().nodeId(""), "nodeId");
        assertInvalid(minimal().clusterName("x y"), "clusterName");
        assertInvalid(minimal().restAddress("h:1\nload=9"), "restAddress");
    }

    @Test
    void replicationValuesMustBeConsistent() {
        assertInvalid(minimal().replicationFactor(0), "replicationFactor");
        assertInvalid(minimal().replicationFactor(2).minInSync(3), "minInSync");
        assertInvalid(minimal().minInSync(0), "minInSync");
    }

    @Test
    void durationsAndThresholdMustBePositive() {
        assertInvalid(minimal().sessionTimeout(Duration.ZERO), "sessionTimeout");
        assertInvalid(minimal().failoverGrace(Duration.ofSeconds(-1)), "failoverGrace");
        assertInvalid(minimal().loadRedirectThreshold(0), "loadRedirectThreshold");
        assertThat(minimal().loadRedirectThreshold(5).noLoadRedirect().build().loadRedirectThreshold()).isEmpty();
    }

    private static void assertInvalid(ClusterSettings.Builder builder, String setting) {
        assertThatThrownBy(builder::build).isInstanceOf(MomException.class)
                .hasMessageContaining(setting)
                .extracting(e -> ((MomException) e).code()).isEqualTo(ErrorCode.INVALID_REQUEST);
    }
}
