package io.mom.examples;

import io.mom.client.ConflictException;
import io.mom.client.Destination;
import io.mom.client.MomClient;
import io.mom.client.OutgoingMessage;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * Publishes {@code --count} text messages of {@code --size} bytes to a queue (declared if missing),
 * one call per message or {@code --batch} messages per call, and prints the throughput and the
 * publish latency percentiles. Each message reads {@code message <n>} padded to the size.
 *
 * <pre>java -jar mom-examples.jar producer --url http://127.0.0.1:8080 --username admin --password secret --queue orders --count 1000 --size 256</pre>
 */
@Command(name = "producer", mixinStandardHelpOptions = true,
        description = "Publish messages to a queue and report throughput and latency.")
public final class ProducerApp implements Callable<Integer> {
    @Mixin
    private ConnectionOptions connection = new ConnectionOptions();

    @Option(names = "--queue", required = true, description = "queue to publish to (declared if missing)")
    private String queue;

    @Option(names = "--count", defaultValue = "10", description = "messages to publish (default: ${DEFAULT-VALUE})")
    private int count;

    @Option(names = "--size", defaultValue = "100", description = "payload bytes per message (default: ${DEFAULT-VALUE})")
    private int size;

    @Option(names = "--batch", defaultValue = "1", description = "messages per publish call, 1..1000 (default: ${DEFAULT-VALUE})")
    private int batch;

    private final PrintStream out;

    ProducerApp(PrintStream out) {
        this.out = out;
    }

    public static void main(String[] args) {
        System.exit(run(System.out, args));
    }

    /** Runs the producer with {@code args}, printing to {@code out}; returns the exit code. */
    public static int run(PrintStream out, String... args) {
        return Cli.run(new ProducerApp(out), out, args);
    }

    @Override
    public Integer call() {
        if (count < 0 || size < 0 || batch < 1 || batch > 1000) {
            throw new IllegalArgumentException("need --count >= 0, --size >= 0 and --batch in 1..1000");
        }
        Histogram latency = new Histogram(TimeUnit.MINUTES.toMicros(1), 3);
        try (MomClient client = connection.connect()) {
            Destination destination = Destination.queue(queue);
            try {
                client.declare(destination);
            } catch (ConflictException e) {
                // declared by another user or with other options: publishing is still allowed
            }
            long start = System.nanoTime();
            for (int sent = 0; sent < count; ) {
                int n = Math.min(batch, count - sent);
                List<OutgoingMessage> messages = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    messages.add(OutgoingMessage.text(payload(sent + i + 1, size)));
                }
                long t0 = System.nanoTime();
                if (n == 1) {
                    client.publish(destination, messages.get(0));
                } else {
                    client.publishAll(destination, messages);
                }
                latency.recordValue(Math.max(1, TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - t0)));
                sent += n;
            }
            double seconds = Math.max(1e-9, (System.nanoTime() - start) / 1e9);
            out.printf("published %d messages of %d bytes to queue %s in %.3f s (%.0f msg/s)%n",
                    count, size, queue, seconds, count / seconds);
            if (count > 0) {
                out.printf("publish latency (%s): p50=%.2f ms p99=%.2f ms max=%.2f ms%n", batch == 1 ? "per message"
                                : "per batch of " + batch, latency.getValueAtPercentile(50) / 1000.0,
                        latency.getValueAtPercentile(99) / 1000.0, latency.getMaxValue() / 1000.0);
            }
        }
        return 0;
    }

    /** {@code message <n>} padded with dots to exactly {@code size} bytes (ASCII), or cut to it. */
    static String payload(int n, int size) {
        StringBuilder b = new StringBuilder(Math.max(size, 16)).append("message ").append(n);
        while (b.length() < size) {
            b.append('.');
        }
        b.setLength(size);
        return b.toString();
    }
}
