package io.mom.client.impl.rest;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StreamWatchdogTest {

    @Test
    void expiresOnlyStreamsSilentLongerThanTheTimeoutAndTheirReadThenFails() throws IOException {
        PipedOutputStream server = new PipedOutputStream();
        SsePushStream stream = new SsePushStream(new PipedInputStream(server));
        try (StreamWatchdog watchdog = new StreamWatchdog(Duration.ofSeconds(30))) {
            watchdog.watch(stream);
            server.write("data: {\"id\":\"m\",\"payload\":\"x\"}\n\n".getBytes(StandardCharsets.UTF_8));
            assertThat(stream.next()).isPresent();
            long quiet = stream.lastActivityNanos();
            watchdog.check(quiet + Duration.ofSeconds(29).toNanos());
            server.write(": ping\n\ndata: {\"id\":\"n\",\"payload\":\"y\"}\n\n".getBytes(StandardCharsets.UTF_8));
            assertThat(stream.next()).as("still open before the timeout").isPresent();
            watchdog.check(stream.lastActivityNanos() + Duration.ofSeconds(31).toNanos());
            assertThatThrownBy(stream::next).isInstanceOf(IOException.class).hasMessageContaining("no data");
        }
    }

    @Test
    void aClosedStreamEndsQuietlyAndIsNoLongerWatched() throws IOException {
        PipedOutputStream server = new PipedOutputStream();
        SsePushStream stream = new SsePushStream(new PipedInputStream(server));
        try (StreamWatchdog watchdog = new StreamWatchdog(Duration.ofMillis(1))) {
            watchdog.watch(stream);
            stream.close();
            watchdog.check(Long.MAX_VALUE);
            assertThat(stream.next()).isEmpty();
        }
    }
}
