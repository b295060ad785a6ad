package io.mom.examples.perf;

import io.mom.examples.TestMomServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** Short perf-test runs against a real server: the progress lines and the one final RESULT line. */
class PerfTestRunTest {
    private static final Pattern RESULT = Pattern.compile(
            "RESULT transport=(\\w+) sent_per_s=(\\d+) received_per_s=(\\d+) p50_us=(\\d+) p95_us=(\\d+) p99_us=(\\d+) errors=(\\d+)");

    @TempDir
    Path dataDir;
    private TestMomServer server;

    @BeforeEach
    void start() {
        server = TestMomServer.start(dataDir);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private record Run(int exitCode, List<String> lines) {
        Matcher result() {
            assertThat(lines).as("output").isNotEmpty();
            Matcher m = RESULT.matcher(lines.get(lines.size() - 1));
            assertThat(m.matches()).as("last line of %s", lines).isTrue();
            assertThat(lines.stream().filter(l -> l.startsWith("RESULT"))).hasSize(1);
            return m;
        }
    }

    private Run perfTest(String url, String... more) {
        List<String> args = new ArrayList<>(List.of("--url", url, "--username", "admin",
                "--password", TestMomServer.ADMIN_PASSWORD, "--duration", "2", "--warmup", "0"));
        args.addAll(List.of(more));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int code = PerfTest.run(new PrintStream(bytes, true, StandardCharsets.UTF_8), args.toArray(String[]::new));
        return new Run(code, bytes.toString(StandardCharsets.UTF_8).lines().toList());
    }

    private static void assertCleanRun(Run run, String transport) {
        assertThat(run.exitCode()).isZero();
        Matcher m = run.result();
        assertThat(m.group(1)).isEqualTo(transport);
        assertThat(Long.parseLong(m.group(2))).as("sent_per_s").isPositive();
        assertThat(Long.parseLong(m.group(3))).as("received_per_s").isPositive();
        assertThat(Long.parseLong(m.group(6))).as("p99 >= p50").isGreaterThanOrEqualTo(Long.parseLong(m.group(4)));
        assertThat(m.group(7)).as("errors").isEqualTo("0");
        assertThat(run.lines()).anyMatch(l -> l.startsWith("time=1s phase=measure "));
    }

    @Test
    void aShortGrpcRunOnAQueuePrintsProgressAndOneResultLineWithoutErrors() {
        Run run = perfTest(server.grpcUrl(), "--queue", "perf", "--producers", "1", "--consumers", "1",
                "--size", "1024", "--confirm", "500", "--prefetch", "500");
        assertCleanRun(run, "grpc");
    }

    @Test
    void aShortHttpRunPrintsTheSameResultLine() {
        Run run = perfTest(server.url(), "--queue", "perf", "--producers", "1", "--consumers", "1",
                "--size", "1024", "--confirm", "50", "--prefetch", "100");
        assertCleanRun(run, "http");
    }

    @Test
    void aTopicRunWithBatchesRatesAndAutoAckFansOutToEverySubscription() {
        Run run = perfTest(server.grpcUrl(), "--topic", "perf-topic", "--subscriptions", "2", "--producers", "1",
                "--consumers", "2", "--size", "8", "--batch", "10", "--rate", "2000", "--auto-ack");
        assertCleanRun(run, "grpc");
        Run again = perfTest(server.grpcUrl(), "--topic", "perf-topic", "--subscriptions", "2", "--consumers", "2",
                "--size", "8", "--batch", "10", "--rate", "2000", "--auto-ack");
        assertThat(again.result().group(7)).as("declaring again is harmless").isEqualTo("0");
    }

    @Test
    void conflictingArgumentsAreAUsageError() {
        Run run = perfTest(server.grpcUrl(), "--queue", "q", "--topic", "t");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.lines()).anyMatch(l -> l.contains("either --queue or --topic"));
    }
}
