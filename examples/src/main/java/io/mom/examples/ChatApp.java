package io.mom.examples;

import io.mom.client.ConflictException;
import io.mom.client.Destination;
import io.mom.client.Message;
import io.mom.client.MomClient;
import io.mom.client.MomClientException;
import io.mom.client.OutgoingMessage;
import io.mom.client.Source;
import io.mom.client.Subscription;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;

/**
 * A chat room on a topic: each participant has a subscription of its own ({@code chat-<name>}), so
 * every participant sees every line. Lines typed on standard input are published with the
 * participant's name in the {@code x-chat-from} header; lines of the others are printed as
 * {@code name: text}. {@code /quit} or the end of input leaves the room and deletes the subscription.
 *
 * <pre>java -jar mom-examples.jar chat --url http://127.0.0.1:8080 --username alice --password secret --topic lobby</pre>
 */
@Command(name = "chat", mixinStandardHelpOptions = true, description = "Chat with others on a topic.")
public final class ChatApp implements Callable<Integer> {
    static final String FROM_HEADER = "x-chat-from";

    @Mixin
    private ConnectionOptions connection = new ConnectionOptions();

    @Option(names = "--topic", defaultValue = "chat", description = "topic of the room (default: ${DEFAULT-VALUE})")
    private String topic;

    @Option(names = "--name", description = "your name in the room, [A-Za-z0-9._-] (default: the user name)")
    private String name;

    private final InputStream in;
    private final PrintStream out;

    ChatApp(InputStream in, PrintStream out) {
        this.in = in;
        this.out = out;
    }

    public static void main(String[] args) {
        System.exit(run(System.in, System.out, args));
    }

    /** Runs a participant reading lines from {@code in} and printing to {@code out}; returns the exit code. */
    public static int run(InputStream in, PrintStream out, String... args) {
        return Cli.run(new ChatApp(in, out), out, args);
    }

    @Override
    public Integer call() throws IOException {
        String me = name != null ? name : connection.username;
        String subscription = "chat-" + me;
        try (MomClient client = connection.connect()) {
            try {
                client.declare(Destination.topic(topic));
            } catch (ConflictException e) {
                // someone else opened the room: joining it is allowed
            }
            client.declareSubscription(topic, subscription);
            try (Subscription sub = client.subscribe(Source.subscription(topic, subscription), m -> show(me, m))) {
                out.println("joined " + topic + " as " + me + " (type /quit to leave)");
                BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
                for (String line = reader.readLine(); line != null && !line.equals("/quit"); line = reader.readLine()) {
                    if (!sub.isActive()) {
                        out.println("the room was closed");
                        break;
                    }
                    if (!line.isBlank()) {
                        client.publish(Destination.topic(topic),
                                OutgoingMessage.builder().text(line).header(FROM_HEADER, me).build());
                    }
                }
            } finally {
                leave(client, subscription);
            }
            out.println("left " + topic);
        }
        return 0;
    }

    private void show(String me, Message m) {
        String from = m.headers().getOrDefault(FROM_HEADER, m.sender());
        if (!from.equals(me)) {
            out.println(from + ": " + m.text());
        }
        m.ack();
    }

    private void leave(MomClient client, String subscription) {
        try {
            client.deleteSubscription(topic, subscription);
        } catch (MomClientException e) {
            // the room may be gone already; nothing else to clean up
        }
    }
}
