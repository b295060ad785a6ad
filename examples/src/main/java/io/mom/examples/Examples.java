package io.mom.examples;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.InputStream;
import java.io.PrintStream;

/**
 * The entry point of {@code mom-examples.jar}: {@code java -jar mom-examples.jar <app> [options]} with
 * {@code <app>} one of {@code producer}, {@code consumer}, {@code chat}, {@code embedded}.
 */
@Command(name = "mom-examples", mixinStandardHelpOptions = true,
        description = "MOM example apps: producer, consumer, chat (need a server) and embedded (no server).")
public final class Examples implements Runnable {
    private final PrintStream out;

    private Examples(PrintStream out) {
        this.out = out;
    }

    public static void main(String[] args) {
        System.exit(run(System.in, System.out, args));
    }

    /** Dispatches to the app named by the first argument; returns its exit code. */
    public static int run(InputStream in, PrintStream out, String... args) {
        CommandLine cl = Cli.commandLine(new Examples(out), out);
        cl.addSubcommand("producer", Cli.commandLine(new ProducerApp(out), out));
        cl.addSubcommand("consumer", Cli.commandLine(new ConsumerApp(out), out));
        cl.addSubcommand("chat", Cli.commandLine(new ChatApp(in, out), out));
        cl.addSubcommand("embedded", Cli.commandLine(new EmbeddedCommand(out), out));
        int code = cl.execute(args);
        out.flush();
        return code;
    }

    @Override
    public void run() {
        CommandLine.usage(this, out);
    }

    /** {@link EmbeddedExample} as a subcommand. */
    @Command(name = "embedded", mixinStandardHelpOptions = true, description = "Run a broker inside this JVM (no server).")
    static final class EmbeddedCommand implements java.util.concurrent.Callable<Integer> {
        private final PrintStream out;

        EmbeddedCommand(PrintStream out) {
            this.out = out;
        }

        @Override
        public Integer call() throws InterruptedException {
            return EmbeddedExample.run(out);
        }
    }
}
