package io.mom.examples;

import io.mom.client.AckMode;
import io.mom.client.ConflictException;
import io.mom.client.Destination;
import io.mom.client.Message;
import io.mom.client.MessageHandler;
import io.mom.client.MomClient;
import io.mom.client.ReceiveOptions;
import io.mom.client.Source;
import io.mom.client.SubscribeOptions;
import io.mom.client.Subscription;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Consumes a queue, or a subscription of a topic, in push mode (a server-sent stream) or pull mode
 * (long-poll receives), printing and acking each message; stops after {@code --count} messages, after
 * {@code --timeout} seconds, or when the destination is deleted.
 *
 * <pre>java -jar mom-examples.jar consumer --url http://127.0.0.1:8080 --username admin --password secret --queue orders --mode push --count 10</pre>
 */
@Command(name = "consumer", mixinStandardHelpOptions = true,
        description = "Receive messages from a queue or topic subscription, push or pull, and print them.")
public final class ConsumerApp implements Callable<Integer> {
    /** How the consumer receives. */
    enum Mode { PUSH, PULL }

    static final class From {
        @Option(names = "--queue", required = true, description = "queue to consume")
        String queue;

        @Option(names = "--topic", required = true, description = "topic to consume (with --subscription)")
        String topic;
    }

    @Mixin
    private ConnectionOptions connection = new ConnectionOptions();

    @ArgGroup(exclusive = true, multiplicity = "1")
    private From from;

    @Option(names = "--subscription", description = "topic subscription (created if missing; default: the user name)")
    private String subscription;

    @Option(names = "--mode", defaultValue = "push", description = "push or pull (default: ${DEFAULT-VALUE})")
    private Mode mode;

    @Option(names = "--count", defaultValue = "0", description = "stop after this many messages; 0 = never (default)")
    private int count;

    @Option(names = "--timeout", defaultValue = "0", description = "stop after this many seconds; 0 = never (default)")
    private long timeoutSeconds;

    @Option(names = "--auto-ack", description = "let the server ack on delivery (at-most-once)")
    private boolean autoAck;

    @Option(names = "--prefetch", defaultValue = "100", description = "push: unacked messages in flight (default: ${DEFAULT-VALUE})")
    private int prefetch;

    private final PrintStream out;
    private final AtomicInteger received = new AtomicInteger();

    ConsumerApp(PrintStream out) {
        this.out = out;
    }

    public static void main(String[] args) {
        System.exit(run(System.out, args));
    }

    /** Runs the consumer with {@code args}, printing to {@code out}; returns the exit code. */
    public static int run(PrintStream out, String... args) {
        return Cli.run(new ConsumerApp(out), out, args);
    }

    @Override
    public Integer call() throws InterruptedException {
        if (count < 0 || timeoutSeconds < 0) {
            throw new IllegalArgumentException("--count and --timeout must not be negative");
        }
        try (MomClient client = connection.connect()) {
            Source source = source(client);
            long deadline = timeoutSeconds == 0 ? Long.MAX_VALUE : System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
            out.println("consuming " + source + " (" + mode.name().toLowerCase(java.util.Locale.ROOT) + ")");
            if (mode == Mode.PUSH) {
                push(client, source, deadline);
            } else {
                pull(client, source, deadline);
            }
            out.println("received " + received.get() + " messages");
        }
        return 0;
    }

    private Source source(MomClient client) {
        if (from.queue != null) {
            return Source.queue(from.queue);
        }
        String sub = subscription != null ? subscription : connection.username;
        try {
            client.declare(Destination.topic(from.topic));
        } catch (ConflictException e) {
            // the topic exists with another owner or options: subscribing is still allowed
        }
        client.declareSubscription(from.topic, sub);
        return Source.subscription(from.topic, sub);
    }

    private void push(MomClient client, Source source, long deadline) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        List<CompletableFuture<Boolean>> acks = new CopyOnWriteArrayList<>();
        MessageHandler handler = new MessageHandler() {
            @Override
            public void onMessage(Message m) {
                // calls never overlap, so the count needs no lock
                if (count > 0 && received.get() >= count) {
                    return; // past the count: left unacked, so the server redelivers it to another consumer
                }
                print(m);
                if (!autoAck) {
                    // acks sent while another is in flight go out together in one call
                    acks.add(m.ackAsync());
                }
                if (received.incrementAndGet() == count) {
                    done.countDown();
                }
            }

            @Override
            public void onDeleted(Source s) {
                out.println(s + " was deleted");
            }
        };
        SubscribeOptions options = SubscribeOptions.builder().prefetch(count > 0 ? Math.min(prefetch, count) : prefetch)
                .ackMode(autoAck ? AckMode.AUTO : AckMode.CLIENT).build();
        try (Subscription sub = client.subscribe(source, handler, options)) {
            sub.whenClosed().thenRun(done::countDown);
            long wait = deadline - System.nanoTime();
            done.await(Math.max(0, wait), TimeUnit.NANOSECONDS);
            if (sub.failure().isPresent()) {
                throw sub.failure().get();
            }
        }
        // the handler has returned for good: wait for its acks before the client closes
        for (CompletableFuture<Boolean> ack : acks) {
            ack.join();
        }
    }

    private void pull(MomClient client, Source source, long deadline) {
        while (count == 0 || received.get() < count) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return;
            }
            int max = count == 0 ? 100 : Math.min(100, count - received.get());
            Duration wait = Duration.ofNanos(Math.min(left, TimeUnit.SECONDS.toNanos(5)));
            ReceiveOptions options = ReceiveOptions.of(max, wait);
            List<Message> batch = client.receive(source, autoAck ? options.autoAck() : options);
            for (Message m : batch) {
                print(m);
                received.incrementAndGet();
            }
            if (!autoAck && !batch.isEmpty()) {
                client.ack(source, batch.stream().map(m -> m.receipt().orElseThrow()).toList());
            }
        }
    }

    private void print(Message m) {
        out.println("[" + m.sender() + "] " + m.text() + "  (id=" + m.id() + ", delivery " + m.deliveryCount() + ")");
    }
}
