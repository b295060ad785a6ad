package io.mom.examples.perf;

import io.mom.client.AckMode;
import io.mom.client.ConflictException;
import io.mom.client.Destination;
import io.mom.client.DestinationOptions;
import io.mom.client.Message;
import io.mom.client.MessageHandler;
import io.mom.client.MomClient;
import io.mom.client.MomClientException;
import io.mom.client.Source;
import io.mom.client.SubscribeOptions;
import io.mom.client.Subscription;
import io.mom.client.SubscriptionListener;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code java -jar mom-perf-test.jar --url grpc://127.0.0.1:9090 --username U --password P --queue Q
 * --producers 1 --consumers 1 --size 1024 --duration 35}: declares the queue (or the topic and its
 * subscriptions) if missing, runs producers and push consumers, each on a client of its own, for
 * {@code --duration} seconds, prints a progress line every second and, last, exactly one line
 * <pre>RESULT transport=grpc sent_per_s=N received_per_s=N p50_us=N p95_us=N p99_us=N errors=N</pre>
 * Rates count confirmed publishes and received messages after the first {@code --warmup} seconds;
 * latency is from the publish call to the consumer's receipt. Errors count failed publishes, acks and
 * stream interruptions over the whole run.
 */
@Command(name = "mom-perf-test", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Load generator: producers and push consumers against a MOM server (grpc:// or http://).")
public final class PerfTest implements Callable<Integer> {
    @Option(names = "--url", defaultValue = "${env:MOM_URL:-grpc://127.0.0.1:9090}", description = "server URL (default: ${DEFAULT-VALUE})")
    private String url;
    @Option(names = "--username", defaultValue = "${env:MOM_USERNAME:-admin}", description = "user (default: ${DEFAULT-VALUE})")
    private String username;
    @Option(names = "--password", defaultValue = "${env:MOM_PASSWORD}", description = "password (default: $MOM_PASSWORD)")
    private String password;
    @Option(names = "--queue", description = "queue to use (declared if missing)")
    private String queue;
    @Option(names = "--topic", description = "topic to use instead of a queue (declared if missing)")
    private String topic;
    @Option(names = "--partitions", defaultValue = "1", description = "partitions of a destination it declares, 1..64 (default: ${DEFAULT-VALUE})")
    private int partitions;

    @Option(names = "--subscriptions", defaultValue = "1", description = "subscriptions of the topic, perf-1..perf-N (default: ${DEFAULT-VALUE})")
    private int subscriptions;
    @Option(names = "--producers", defaultValue = "1", description = "producer clients (default: ${DEFAULT-VALUE})")
    private int producers;
    @Option(names = "--consumers", defaultValue = "1", description = "consumer clients, spread over the subscriptions (default: ${DEFAULT-VALUE})")
    private int consumers;
    @Option(names = "--size", defaultValue = "1024", description = "payload bytes (default: ${DEFAULT-VALUE})")
    private int size;
    @Option(names = "--duration", defaultValue = "30", description = "seconds the run lasts, warm-up included (default: ${DEFAULT-VALUE})")
    private int duration;
    @Option(names = "--confirm", defaultValue = "500", description = "most unconfirmed messages per producer (default: ${DEFAULT-VALUE})")
    private int confirm;
    @Option(names = "--prefetch", defaultValue = "500", description = "credit (unacked deliveries) per consumer (default: ${DEFAULT-VALUE})")
    private int prefetch;
    @Option(names = "--warmup", defaultValue = "5", description = "first seconds left out of the result (default: ${DEFAULT-VALUE})")
    private int warmup;
    @Option(names = "--rate", defaultValue = "0", description = "messages per second over all producers; 0 = unlimited (default: ${DEFAULT-VALUE})")
    private double rate;
    @Option(names = "--batch", defaultValue = "1", description = "messages per publish call, 1..1000 (default: ${DEFAULT-VALUE})")
    private int batch;
    @Option(names = "--auto-ack", description = "consumers do not ack (at-most-once)")
    private boolean autoAck;

    private final PrintStream out;
    private final Measurements measurements = new Measurements();
    private final AtomicInteger acksInFlight = new AtomicInteger();

    private PerfTest(PrintStream out) {
        this.out = out;
    }

    public static void main(String[] args) {
        System.exit(run(System.out, args));
    }

    /** Runs with {@code args}, printing to {@code out}; returns the exit code (0 once a RESULT line was printed). */
    public static int run(PrintStream out, String... args) {
        CommandLine cl = new CommandLine(new PerfTest(out));
        PrintWriter writer = new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), true);
        cl.setOut(writer);
        cl.setErr(writer);
        cl.setExecutionExceptionHandler((e, line, parsed) -> {
            if (e instanceof MomClientException || e instanceof IllegalArgumentException) {
                line.getErr().println("error: " + e.getMessage());
                return e instanceof IllegalArgumentException ? CommandLine.ExitCode.USAGE : 1;
            }
            throw e;
        });
        int code = cl.execute(args);
        out.flush();
        return code;
    }

    @Override
    public Integer call() {
        validate();
        long runId = ThreadLocalRandom.current().nextLong();
        List<MomClient> clients = new ArrayList<>();
        List<Subscription> subscriptions = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        try {
            Destination destination = topic != null ? Destination.topic(topic) : Destination.queue(queue);
            List<Source> sources = declare(connect(clients), destination);
            for (int i = 0; i < consumers; i++) {
                Source source = sources.get(i % sources.size());
                subscriptions.add(connect(clients).subscribe(source, handler(runId), SubscribeOptions.builder().prefetch(prefetch)
                        .ackMode(autoAck ? AckMode.AUTO : AckMode.CLIENT).listener(listener()).build()));
            }
            long start = System.nanoTime();
            long deadline = start + TimeUnit.SECONDS.toNanos(duration);
            for (int i = 0; i < producers; i++) {
                Producer p = new Producer(connect(clients), destination, new Producer.Settings(runId, size, batch,
                        confirm, rate / producers, deadline), measurements);
                Thread t = new Thread(p, "perf-producer-" + (i + 1));
                t.setDaemon(true);
                threads.add(t);
                t.start();
            }
            report(start);
            for (Thread t : threads) {
                t.join(TimeUnit.SECONDS.toMillis(15));
            }
            subscriptions.forEach(Subscription::close);
            long acksDue = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (acksInFlight.get() > 0 && System.nanoTime() - acksDue < 0) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            clients.forEach(MomClient::close);
        }
        if (measurements.stale() > 0) {
            out.println("note: received " + measurements.stale() + " messages of earlier runs (acked, not timed)");
        }
        measurements.firstError().ifPresent(e -> out.println("first error: " + e));
        double seconds = duration - warmup;
        out.printf(Locale.ROOT, "RESULT transport=%s sent_per_s=%d received_per_s=%d p50_us=%d p95_us=%d p99_us=%d errors=%d%n",
                url.toLowerCase(Locale.ROOT).startsWith("grpc") ? "grpc" : "http",
                Math.round(measurements.measuredSent() / seconds), Math.round(measurements.measuredReceived() / seconds),
                measurements.latencyPercentile(50), measurements.latencyPercentile(95),
                measurements.latencyPercentile(99), measurements.errors());
        out.flush();
        return 0;
    }

    private void validate() {
        if ((queue == null) == (topic == null)) {
            throw new IllegalArgumentException("give either --queue or --topic");
        }
        if (password == null) {
            throw new IllegalArgumentException("--password (or MOM_PASSWORD) is required");
        }
        if (producers < 0 || consumers < 0 || producers + consumers == 0) {
            throw new IllegalArgumentException("need --producers >= 0 and --consumers >= 0, not both 0");
        }
        if (size < 0 || size > (1 << 20) || batch < 1 || batch > 1000 || confirm < 1 || rate < 0
                || prefetch < 1 || prefetch > SubscribeOptions.MAX_PREFETCH) {
            throw new IllegalArgumentException("need --size 0..1048576, --batch 1..1000, --confirm >= 1, --rate >= 0, "
                    + "--prefetch 1.." + SubscribeOptions.MAX_PREFETCH);
        }
        if (partitions < 1 || partitions > 64) {
            throw new IllegalArgumentException("need --partitions 1..64");
        }
        if (duration < 1 || warmup < 0 || warmup >= duration) {
            throw new IllegalArgumentException("need --duration >= 1 and 0 <= --warmup < --duration");
        }
        if (topic != null && (subscriptions < 1 || consumers > 0 && consumers < subscriptions)) {
            throw new IllegalArgumentException("need --subscriptions >= 1 and at least one consumer per subscription");
        }
    }

    private MomClient connect(List<MomClient> clients) {
        MomClient c = MomClient.builder().url(url).credentials(username, password).build();
        clients.add(c);
        return c;
    }

    /** Declares what is missing (an existing destination or subscription is used as it is). */
    private List<Source> declare(MomClient client, Destination destination) {
        try {
            client.declare(destination, DestinationOptions.builder().partitions(partitions).build());
        } catch (ConflictException e) {
            out.println("note: " + destination + " exists with other options or owner; using it");
        }
        if (destination.isQueue()) {
            return List.of(Source.queue(destination.name()));
        }
        List<Source> sources = new ArrayList<>();
        for (int i = 1; i <= subscriptions; i++) {
            client.declareSubscription(destination.name(), "perf-" + i);
            sources.add(Source.subscription(destination.name(), "perf-" + i));
        }
        return sources;
    }

    private MessageHandler handler(long runId) {
        return m -> {
            long now = System.nanoTime();
            OptionalLong sentAt = Stamp.publishedAt(m, runId);
            if (sentAt.isPresent()) {
                measurements.received(now - sentAt.getAsLong());
            } else {
                measurements.receivedStale();
            }
            if (!autoAck) {
                acksInFlight.incrementAndGet();
                m.ackAsync().whenComplete((applied, error) -> {
                    acksInFlight.decrementAndGet();
                    if (error != null) {
                        measurements.error(error);
                    }
                });
            }
        };
    }

    private SubscriptionListener listener() {
        return new SubscriptionListener() {
            @Override
            public void onDisconnected(Source source, Throwable cause, Duration retryIn) {
                measurements.error(cause);
            }

            @Override
            public void onHandlerError(Message message, RuntimeException error) {
                measurements.error(error);
            }
        };
    }

    /** One line per second until the end of the run; the seconds after the warm-up count. */
    private void report(long start) {
        for (int second = 1; second <= duration; second++) {
            long due = start + TimeUnit.SECONDS.toNanos(second);
            for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
                LockSupport.parkNanos(wait);
            }
            boolean measuring = second > warmup;
            Measurements.Tick t = measurements.tick(measuring);
            out.printf(Locale.ROOT, "time=%ds phase=%s sent_per_s=%d received_per_s=%d p50_us=%d p99_us=%d errors=%d%n",
                    second, measuring ? "measure" : "warmup", t.sent(), t.received(), t.p50Micros(), t.p99Micros(),
                    t.errors());
        }
    }
}
