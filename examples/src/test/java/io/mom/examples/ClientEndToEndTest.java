package io.mom.examples;

import io.mom.client.ConflictException;
import io.mom.client.DeletePolicy;
import io.mom.client.Destination;
import io.mom.client.DestinationInfo;
import io.mom.client.DestinationOptions;
import io.mom.client.DestinationType;
import io.mom.client.ForbiddenException;
import io.mom.client.GoneException;
import io.mom.client.InvalidRequestException;
import io.mom.client.ListRequest;
import io.mom.client.Message;
import io.mom.client.MomClient;
import io.mom.client.NackMode;
import io.mom.client.NotFoundException;
import io.mom.client.OutgoingMessage;
import io.mom.client.Overflow;
import io.mom.client.Page;
import io.mom.client.PayloadTooLargeException;
import io.mom.client.QueueFullException;
import io.mom.client.ReceiveOptions;
import io.mom.client.Source;
import io.mom.client.SubscriptionInfo;
import io.mom.client.UnauthorizedException;
import io.mom.client.UserInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The Java client against a real REST server: sessions, users, destinations, messages, errors. */
class ClientEndToEndTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final ReceiveOptions SOON = ReceiveOptions.of(10, Duration.ofSeconds(5));

    @TempDir
    Path dataDir;
    private TestMomServer server;
    private MomClient admin;
    private MomClient alice;

    @BeforeEach
    void start() {
        server = TestMomServer.start(dataDir);
        server.createUsers("alice");
        admin = client("admin", TestMomServer.ADMIN_PASSWORD);
        alice = client("alice", "alice-pw");
    }

    @AfterEach
    void stop() {
        alice.close();
        admin.close();
        server.close();
    }

    private MomClient client(String user, String password) {
        return server.client(user, password);
    }

    @Test
    void logsInOnDemandAndLogoutRevokesTheTokenEverywhere() {
        assertThat(alice.me()).isEqualTo(new UserInfo("alice", List.of("user")));
        String token = alice.login().token();
        try (MomClient sameToken = MomClient.builder().url(server.url()).token(token).build()) {
            assertThat(sameToken.me().username()).isEqualTo("alice");
            alice.logout();
            assertThatThrownBy(sameToken::me).isInstanceOf(UnauthorizedException.class);
        }
        assertThat(alice.me().username()).as("the next call logs in again").isEqualTo("alice");
        try (MomClient wrong = client("alice", "nope")) {
            assertThatThrownBy(wrong::me).isInstanceOf(UnauthorizedException.class);
        }
    }

    @Test
    void adminsManageUsersAndPlainUsersMayNot() {
        admin.createUser("bob", "bob-pw", List.of());
        assertThatThrownBy(() -> admin.createUser("bob", "x", List.of())).isInstanceOf(ConflictException.class);
        assertThat(admin.listUsers()).extracting(UserInfo::username).contains("admin", "alice", "bob");
        assertThatThrownBy(alice::listUsers).isInstanceOf(ForbiddenException.class);
        try (MomClient bob = client("bob", "bob-pw")) {
            bob.changePassword("bob", "bob-pw2");
            assertThatThrownBy(bob::me).as("old password no longer logs in").isInstanceOf(UnauthorizedException.class);
        }
        try (MomClient bob = client("bob", "bob-pw2")) {
            assertThat(bob.me().username()).isEqualTo("bob");
            admin.deleteUser("bob");
            assertThatThrownBy(bob::me).isInstanceOf(UnauthorizedException.class);
        }
    }

    @Test
    void publishesReceivesAcksAndNacksWithEveryMessageField() {
        Destination q = Destination.queue("orders");
        assertThat(alice.declare(q)).isTrue();
        assertThat(alice.declare(q)).isFalse();
        String id = alice.publish(q, OutgoingMessage.builder().text("h\u00e9llo").id("order-1").header("type", "created")
                .key("customer-7").ttl(Duration.ofMinutes(5)).build());
        assertThat(id).isEqualTo("order-1");
        assertThat(alice.publish(q, OutgoingMessage.builder().text("h\u00e9llo").id("order-1").build()))
                .as("same producer id is acknowledged and stored once").isEqualTo("order-1");
        alice.publish(q, OutgoingMessage.bytes(new byte[]{0, (byte) 0xFF, 1}));

        List<Message> got = admin.receive(Source.queue("orders"), SOON);
        assertThat(got).hasSize(2);
        Message first = got.get(0);
        assertThat(first.id()).isEqualTo("order-1");
        assertThat(first.text()).isEqualTo("h\u00e9llo");
        assertThat(first.headers()).containsEntry("type", "created");
        assertThat(first.key()).contains("customer-7");
        assertThat(first.sender()).isEqualTo("alice");
        assertThat(first.deliveryCount()).isEqualTo(1);
        assertThat(got.get(1).payload()).containsExactly(0, 0xFF, 1);

        assertThat(first.ack()).isTrue();
        assertThat(alice.ack(Source.queue("orders"), List.of(first.receipt().orElseThrow())).invalid())
                .containsExactly(first.receipt().orElseThrow());
        assertThat(got.get(1).nack(NackMode.REQUEUE)).isTrue();
        Message again = alice.receive(Source.queue("orders"), SOON).get(0);
        assertThat(again.deliveryCount()).isEqualTo(2);
        assertThat(again.ack()).isTrue();
        assertThat(alice.receive(Source.queue("orders"), ReceiveOptions.of(10, Duration.ZERO))).isEmpty();
        assertThat(alice.describe(q).depth()).isZero();
    }

    @Test
    void publishesABatchInOrderAndReceivesWithAutoAck() {
        Destination q = Destination.queue("batch");
        alice.declare(q, DestinationOptions.builder().maxDeliveries(3).build());
        List<String> ids = alice.publishAll(q, List.of(OutgoingMessage.text("a"), OutgoingMessage.text("b"), OutgoingMessage.text("c")));
        assertThat(ids).hasSize(3).doesNotHaveDuplicates();
        List<Message> got = alice.receive(Source.queue("batch"), SOON.autoAck());
        assertThat(got).extracting(Message::text).containsExactly("a", "b", "c");
        assertThat(got).extracting(Message::id).containsExactlyElementsOf(ids);
        assertThat(got).allSatisfy(m -> assertThat(m.receipt()).isEmpty());
        assertThat(alice.describe(q).depth()).isZero();
        assertThat(alice.describe(q).options().maxDeliveries()).contains(3);
    }

    @Test
    void topicsFanOutToEverySubscription() {
        alice.declare(Destination.topic("news"));
        assertThat(alice.declareSubscription("news", "s1")).isTrue();
        assertThat(admin.declareSubscription("news", "s2")).isTrue();
        assertThat(alice.declareSubscription("news", "s1")).isFalse();
        alice.publish(Destination.topic("news"), "extra");
        for (String sub : List.of("s1", "s2")) {
            List<Message> got = alice.receive(Source.subscription("news", sub), SOON);
            assertThat(got).extracting(Message::text).containsExactly("extra");
            assertThat(got.get(0).ack()).isTrue();
        }
        assertThat(alice.listSubscriptions("news")).extracting(SubscriptionInfo::name).containsExactly("s1", "s2");
        assertThat(alice.describe(Destination.topic("news")).subscriptions()).isEqualTo(2);
        alice.deleteSubscription("news", "s2");
        assertThat(alice.listSubscriptions("news")).extracting(SubscriptionInfo::name).containsExactly("s1");
    }

    @Test
    void listsInPagesAndDeletesWithTransfer() {
        for (String n : List.of("p.a", "p.b", "p.c", "other")) {
            alice.declare(Destination.queue(n));
        }
        Page<DestinationInfo> first = alice.list(DestinationType.QUEUE, ListRequest.first(2).withPrefix("p."));
        assertThat(first.items()).extracting(DestinationInfo::name).containsExactly("p.a", "p.b");
        Page<DestinationInfo> second = alice.list(DestinationType.QUEUE,
                ListRequest.first(2).withPrefix("p.").after(first.next().orElseThrow()));
        assertThat(second.items()).extracting(DestinationInfo::name).containsExactly("p.c");
        assertThat(alice.listAll(DestinationType.QUEUE)).extracting(DestinationInfo::name)
                .contains("p.a", "p.b", "p.c", "other");
        assertThat(first.items().get(0).owner()).isEqualTo("alice");

        alice.publishAll(Destination.queue("p.a"), List.of(OutgoingMessage.text("1"), OutgoingMessage.text("2")));
        assertThatThrownBy(() -> admin.delete(Destination.queue("nope"))).isInstanceOf(NotFoundException.class);
        try (MomClient bob = bob()) {
            assertThatThrownBy(() -> bob.delete(Destination.queue("p.a"))).isInstanceOf(ForbiddenException.class);
        }
        alice.delete(Destination.queue("p.a"), DeletePolicy.transferTo("other"));
        assertThatThrownBy(() -> alice.describe(Destination.queue("p.a"))).isInstanceOf(NotFoundException.class);
        assertThat(alice.describe(Destination.queue("other")).depth()).isEqualTo(2);
        admin.delete(Destination.queue("other"));
    }

    @Test
    void serverErrorsArriveAsTypedExceptions() {
        assertThatThrownBy(() -> alice.declare(Destination.queue("bad name!"))).isInstanceOfSatisfying(
                InvalidRequestException.class, e -> assertThat(e.code()).isEqualTo("INVALID_NAME"));
        assertThatThrownBy(() -> alice.declare(Destination.queue("x.dlq"))).isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> alice.declare(Destination.queue("q"), DestinationOptions.builder().partitions(99).build()))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
                    assertThat(e.code()).isEqualTo("INVALID_REQUEST");
                    assertThat(e).hasMessageContaining("partitions");
                });
        alice.declare(Destination.queue("small"), DestinationOptions.builder().maxLength(1L).overflow(Overflow.REJECT).build());
        assertThatThrownBy(() -> alice.declare(Destination.queue("small"))).isInstanceOf(ConflictException.class);
        alice.publish(Destination.queue("small"), "one");
        assertThatThrownBy(() -> alice.publish(Destination.queue("small"), "two")).isInstanceOfSatisfying(
                QueueFullException.class, e -> assertThat(e.status()).isEqualTo(429));
        assertThatThrownBy(() -> alice.publish(Destination.queue("small"), OutgoingMessage.bytes(new byte[(1 << 20) + 1])))
                .isInstanceOf(PayloadTooLargeException.class);
        assertThatThrownBy(() -> alice.receive(Source.queue("missing"), SOON)).isInstanceOf(NotFoundException.class);
    }

    @Test
    void aWaitingReceiveEndsWithGoneWhenTheQueueIsDeleted() {
        alice.declare(Destination.queue("short-lived"));
        ExecutorService executor = Executors.newSingleThreadExecutor();
        CompletableFuture<List<Message>> waiting = CompletableFuture.supplyAsync(
                () -> alice.receive(Source.queue("short-lived"), ReceiveOptions.of(1, Duration.ofSeconds(20))), executor);
        await().atMost(WAIT).until(() -> alice.describe(Destination.queue("short-lived")).consumers() == 1);
        alice.delete(Destination.queue("short-lived"));
        assertThat(waiting).failsWithin(WAIT).withThrowableOfType(java.util.concurrent.ExecutionException.class)
                .withCauseInstanceOf(GoneException.class);
        executor.shutdown();
    }

    private MomClient bob() {
        server.createUsers("bob");
        return client("bob", "bob-pw");
    }
}
