package io.mom.examples;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class EmbeddedExampleTest {

    @Test
    void pullsTwoPushesThreeAndAcksAllFiveMessages() throws InterruptedException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int code = EmbeddedExample.run(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertThat(code).isZero();
        assertThat(out).contains("pulled order 1", "pulled order 2", "pushed order 3", "pushed order 4", "pushed order 5",
                "acked 5 of 5 messages");
    }

    @Test
    void theJarDispatcherRunsTheEmbeddedExampleAndListsTheApps() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        assertThat(Examples.run(System.in, out, "embedded")).isZero();
        assertThat(bytes.toString(StandardCharsets.UTF_8)).contains("acked 5 of 5 messages");
        bytes.reset();
        assertThat(Examples.run(System.in, out, "nonsense")).isEqualTo(2);
        assertThat(bytes.toString(StandardCharsets.UTF_8)).contains("Unmatched argument");
        bytes.reset();
        assertThat(Examples.run(System.in, out)).isZero();
        assertThat(bytes.toString(StandardCharsets.UTF_8)).contains("producer", "consumer", "chat", "embedded");
    }

    @Test
    void clientAppsRejectMissingArgumentsWithUsageExitCode() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        assertThat(ProducerApp.run(out, "--password", "x")).isEqualTo(2);
        assertThat(bytes.toString(StandardCharsets.UTF_8)).contains("--queue");
        assertThat(ConsumerApp.run(out, "--password", "x", "--queue", "q", "--topic", "t")).isEqualTo(2);
    }

    @Test
    void producerPayloadsHaveExactlyTheRequestedSize() {
        assertThat(ProducerApp.payload(7, 20)).isEqualTo("message 7...........").hasSize(20);
        assertThat(ProducerApp.payload(12345, 4)).isEqualTo("mess");
        assertThat(ProducerApp.payload(1, 0)).isEmpty();
    }
}
