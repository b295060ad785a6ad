package io.mom.server;

import io.mom.core.MomException;
import io.mom.server.config.ConfigLoader;
import io.mom.server.config.ServerConfig;
import io.mom.server.config.Setting;
import io.mom.server.logging.LogFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;

/**
 * {@code java -jar mom-server.jar [--name=value ...]}: loads the configuration, starts a node and stops
 * it gracefully on SIGTERM (or Ctrl-C). If the graceful shutdown overruns its budget by more than a
 * second, the process is halted. Exit status 2 means the configuration was rejected, 1 that start-up
 * failed.
 */
public final class Main {
    private static final Logger log = LoggerFactory.getLogger(Main.class);

    private Main() {
    }

    public static void main(String[] args) {
        if (Arrays.asList(args).contains("--help")) {
            usage(System.out);
            return;
        }
        SLF4JBridgeHandler.removeHandlersForRootLogger();
        SLF4JBridgeHandler.install();
        MomServer server;
        ServerConfig config;
        try {
            config = ConfigLoader.load(args, System.getenv());
            LogFiles.apply(config.observability().logDir(), System.getenv());
            server = MomServer.start(config, System.out);
        } catch (io.mom.server.config.ConfigException e) {
            System.err.println("mom-server: " + e.getMessage());
            System.exit(2);
            return;
        } catch (MomException e) {
            // An expected failure (such as a corrupt, foreign or locked store): one clear line, the trace only in debug.
            System.err.println("mom-server: cannot start: " + e.getMessage());
            log.error("event=start_failed code={} detail=\"{}\"", e.code(), e.getMessage());
            log.debug("event=start_failed_trace", e);
            System.exit(1);
            return;
        } catch (RuntimeException e) {
            log.error("event=start_failed", e);
            System.exit(1);
            return;
        }
        Duration budget = config.shutdownTimeout();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(server, budget), "mom-shutdown"));
    }

    /** Starts a node in this JVM (as {@code main} does, without the shutdown hook), for tests and tools. */
    public static MomServer start(String[] args, Map<String, String> env, PrintStream console) {
        return MomServer.start(ConfigLoader.load(args, env), console);
    }

    private static void stop(MomServer server, Duration budget) {
        Thread watchdog = new Thread(() -> {
            try {
                Thread.sleep(budget.plusSeconds(1).toMillis());
                System.err.println("mom-server: graceful shutdown took longer than " + budget + "; halting");
                Runtime.getRuntime().halt(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "mom-shutdown-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        server.close();
        watchdog.interrupt();
    }

    private static void usage(PrintStream out) {
        out.println("Usage: java -jar mom-server.jar [--name=value ...] [--config=mom.properties]");
        out.println("Each setting is a flag (--http-port), an environment variable (MOM_HTTP_PORT) or a key of the");
        out.println("properties file (http.port), in that order of precedence.");
        out.println();
        for (Setting s : Setting.values()) {
            out.printf("  %-32s %-28s %s%s%n", s.flag(), s.env(), s.help(),
                    s.defaultValue().map(d -> " [" + d + "]").orElse(""));
        }
    }
}
