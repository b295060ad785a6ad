package io.mom.server;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A MOM server ({@link Main}) in a child JVM on the test classpath, for tests that kill it or look at its exit.
 * Its standard output and error are merged and kept line by line; the REST address is read from its
 * {@code REST listening on ...} line. Not thread-safe except {@link #output()}.
 */
final class ServerProcess implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("REST listening on (https?://\\S+)");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    private final Process process;
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final CompletableFuture<String> restUrl = new CompletableFuture<>();
    private final CompletableFuture<Void> endOfOutput = new CompletableFuture<>();

    private ServerProcess(Process process) {
        this.process = process;
        Thread reader = new Thread(this::read, "server-process-output-" + process.pid());
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts {@code java io.mom.server.Main <args>} with the given extra environment (quiet access log). */
    static ServerProcess start(List<String> args, Map<String, String> env) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // Small and quick to start: the tests care about what survives, not about speed.
        command.addAll(List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Dlogback.configurationFile=child-logback.xml", "-cp", System.getProperty("java.class.path"),
                Main.class.getName()));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().keySet().removeIf(k -> k.startsWith("MOM_"));
        builder.environment().putAll(env);
        try {
            return new ServerProcess(builder.start());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void read() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                lines.add(line);
                Matcher m = LISTENING.matcher(line);
                if (m.find()) {
                    restUrl.complete(m.group(1));
                }
            }
        } catch (IOException e) {
            // The process is gone; what it wrote so far is kept.
        } finally {
            endOfOutput.complete(null);
            restUrl.completeExceptionally(new IllegalStateException("the server exited before listening:\n"
                    + String.join("\n", lines)));
        }
    }

    /** Waits for the REST listener and returns its base URL, such as {@code http://127.0.0.1:41234}. */
    String awaitRestUrl() {
        try {
            return restUrl.get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError(e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new AssertionError("no 'REST listening on' line within " + START_TIMEOUT + ":\n" + output(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** SIGKILL: no shutdown hook, no flush. Returns once the process is gone. */
    void kill() {
        // Through the handle: Process.destroy* would also close our end of its output and lose the last lines.
        process.toHandle().destroyForcibly();
        awaitExit();
    }

    /** SIGTERM: the graceful shutdown. Returns the exit status. */
    int terminate() {
        process.toHandle().destroy();
        return awaitExit();
    }

    /** Waits for the process to end by itself; returns its exit status. */
    int awaitExit() {
        try {
            if (!process.waitFor(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("the server did not exit within " + START_TIMEOUT + ":\n" + output());
            }
            endOfOutput.get(10, TimeUnit.SECONDS); // the last lines it wrote are read
            return process.exitValue();
        } catch (ExecutionException | TimeoutException e) {
            throw new AssertionError("the output of the server could not be read to its end", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Everything the process wrote so far, standard output and error merged. */
    String output() {
        return String.join("\n", lines);
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            awaitExit();
        }
    }
}
