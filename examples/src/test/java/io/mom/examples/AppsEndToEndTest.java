package io.mom.examples;

import io.mom.client.Destination;
import io.mom.client.DestinationInfo;
import io.mom.client.MomClient;
import io.mom.client.SubscriptionInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Each client example app run against a real REST server, as a user would run it. */
class AppsEndToEndTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final ExecutorService apps = Executors.newCachedThreadPool();
    @TempDir
    Path dataDir;
    private TestMomServer server;
    private MomClient admin;

    @BeforeEach
    void start() {
        server = TestMomServer.start(dataDir);
        server.createUsers("alice", "bob");
        admin = server.client("admin", TestMomServer.ADMIN_PASSWORD);
    }

    @AfterEach
    void stop() {
        admin.close();
        server.close();
        apps.shutdownNow();
    }

    /** Captures what an app prints. */
    private static final class Output {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final PrintStream stream = new PrintStream(bytes, true, StandardCharsets.UTF_8);

        String text() {
            return bytes.toString(StandardCharsets.UTF_8);
        }
    }

    private String[] args(String user, String... more) {
        String[] base = {"--url", server.url(), "--username", user, "--password", user + "-pw"};
        String[] all = new String[base.length + more.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return all;
    }

    @Test
    void theProducerDeclaresTheQueueAndPublishesCountMessagesOfTheGivenSize() {
        Output out = new Output();
        assertThat(ProducerApp.run(out.stream, args("alice", "--queue", "orders", "--count", "25", "--size", "64", "--batch", "10")))
                .isZero();
        assertThat(out.text()).contains("published 25 messages of 64 bytes to queue orders", "p99=");
        DestinationInfo info = admin.describe(Destination.queue("orders"));
        assertThat(info.depth()).isEqualTo(25);
        assertThat(info.owner()).isEqualTo("alice");
    }

    @Test
    void thePullConsumerPrintsAndAcksCountMessages() {
        assertThat(ProducerApp.run(new Output().stream, args("alice", "--queue", "jobs", "--count", "5", "--size", "20"))).isZero();
        Output out = new Output();
        assertThat(ConsumerApp.run(out.stream, args("bob", "--queue", "jobs", "--mode", "pull", "--count", "3", "--timeout", "60")))
                .isZero();
        assertThat(out.text()).contains("[alice] message 1", "[alice] message 3", "received 3 messages")
                .doesNotContain("message 4");
        assertThat(admin.describe(Destination.queue("jobs")).depth()).as("3 of 5 acked").isEqualTo(2);
    }

    @Test
    void thePushConsumerPrintsAndAcksCountMessages() {
        assertThat(ProducerApp.run(new Output().stream, args("alice", "--queue", "jobs", "--count", "4", "--size", "20"))).isZero();
        Output out = new Output();
        assertThat(ConsumerApp.run(out.stream, args("bob", "--queue", "jobs", "--mode", "push", "--count", "4", "--timeout", "60")))
                .isZero();
        assertThat(out.text()).contains("consuming queue:jobs (push)", "[alice] message 1", "[alice] message 4",
                "received 4 messages");
        await().atMost(WAIT).until(() -> admin.describe(Destination.queue("jobs")).depth() == 0);
    }

    @Test
    void aConsumerOfATopicSubscriptionGetsWhatIsPublishedAfterItSubscribed() {
        Output out = new Output();
        CompletableFuture<Integer> consumer = CompletableFuture.supplyAsync(() -> ConsumerApp.run(out.stream,
                args("bob", "--topic", "news", "--subscription", "bob-feed", "--mode", "push", "--count", "2", "--timeout", "60")),
                apps);
        await().atMost(WAIT).until(() -> out.text().contains("consuming"));
        admin.publish(Destination.topic("news"), "first");
        admin.publish(Destination.topic("news"), "second");
        assertThat(consumer).succeedsWithin(WAIT).isEqualTo(0);
        assertThat(out.text()).contains("[admin] first", "[admin] second", "received 2 messages");
        assertThat(admin.listSubscriptions("news")).extracting(SubscriptionInfo::name).containsExactly("bob-feed");
    }

    @Test
    void wrongCredentialsExitWithOneAndSayWhy() {
        Output out = new Output();
        assertThat(ProducerApp.run(out.stream, "--url", server.url(), "--username", "alice", "--password", "wrong",
                "--queue", "q")).isEqualTo(1);
        assertThat(out.text()).contains("error: UNAUTHORIZED (401)");
    }

    @Test
    void chatParticipantsSeeEachOthersLinesButNotTheirOwn() throws IOException {
        Participant alice = new Participant("alice");
        await().atMost(WAIT).until(() -> alice.out.text().contains("joined lobby as alice"));
        Participant bob = new Participant("bob");
        await().atMost(WAIT).until(() -> bob.out.text().contains("joined lobby as bob"));

        alice.say("hi bob");
        await().atMost(WAIT).until(() -> bob.out.text().contains("alice: hi bob"));
        bob.say("hello alice");
        await().atMost(WAIT).until(() -> alice.out.text().contains("bob: hello alice"));

        alice.say("/quit");
        bob.input.close();
        assertThat(alice.exit).succeedsWithin(WAIT).isEqualTo(0);
        assertThat(bob.exit).succeedsWithin(WAIT).isEqualTo(0);
        assertThat(alice.out.text()).doesNotContain("alice: hi bob").contains("left lobby");
        assertThat(bob.out.text()).doesNotContain("bob: hello alice");
        assertThat(admin.listSubscriptions("lobby")).as("each participant removed its subscription").isEmpty();
    }

    /** One chat participant fed through a pipe. */
    private final class Participant {
        final Output out = new Output();
        final PipedOutputStream input = new PipedOutputStream();
        final CompletableFuture<Integer> exit;

        Participant(String user) throws IOException {
            PipedInputStream in = new PipedInputStream(input);
            exit = CompletableFuture.supplyAsync(() -> ChatApp.run(in, out.stream, args(user, "--topic", "lobby")), apps);
        }

        void say(String line) throws IOException {
            input.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            input.flush();
        }
    }
}
