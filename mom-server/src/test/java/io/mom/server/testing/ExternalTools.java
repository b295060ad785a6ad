package io.mom.server.testing;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Finds the external programs some tests need (promtool, node, chromium, systemd-analyze) and runs them.
 * A missing tool skips the test with a visible reason on a developer's machine, but fails it when the
 * environment variable {@code CI} is {@code true} ({@code .ci/run} installs them all). Stateless.
 */
public final class ExternalTools {
    private ExternalTools() {
    }

    /** True when running in CI, where a missing tool is an error. */
    public static boolean inCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    /** The program on the PATH (or at an absolute path), or a skip (a failure in CI) naming what installs it. */
    public static Path require(String program, String installHint) {
        Optional<Path> found = find(program);
        if (found.isEmpty()) {
            unavailable(program + " is not installed (" + installHint + ")");
        }
        return found.get();
    }

    /** Skips the test with this reason, or fails it in CI. */
    public static void unavailable(String reason) {
        if (inCi()) {
            Assertions.fail(reason + "; CI=true, so this is an error (.ci/run installs it)");
        }
        Assumptions.abort(reason + "; skipped (CI would fail)");
    }

    public static Optional<Path> find(String program) {
        if (program.contains("/")) {
            Path p = Path.of(program);
            return Files.isExecutable(p) ? Optional.of(p) : Optional.empty();
        }
        String path = System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin");
        for (String dir : path.split(File.pathSeparator)) {
            Path p = Path.of(dir, program);
            if (Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** What a finished program printed and returned. */
    public record Outcome(int exitCode, String output) {
    }

    /**
     * Runs a program to completion (stdout and stderr together), feeding it {@code input} when not null.
     * Fails the test if it does not end within {@code timeoutSeconds}.
     */
    public static Outcome run(List<String> command, Path workDir, Map<String, String> env, String input,
                              long timeoutSeconds) {
        ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true);
        if (workDir != null) {
            pb.directory(workDir.toFile());
        }
        pb.environment().putAll(env);
        try {
            Path out = Files.createTempFile("mom-tool", ".out");
            try {
                pb.redirectOutput(out.toFile());
                Process p = pb.start();
                try (var stdin = p.getOutputStream()) {
                    if (input != null) {
                        stdin.write(input.getBytes(StandardCharsets.UTF_8));
                    }
                }
                if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                    p.descendants().forEach(ProcessHandle::destroyForcibly);
                    p.destroyForcibly();
                    Assertions.fail(String.join(" ", command) + " did not finish within " + timeoutSeconds
                            + " s; output so far:\n" + Files.readString(out, StandardCharsets.UTF_8));
                }
                return new Outcome(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** {@code promtool check metrics} on an exposition; fails the test with promtool's complaints. */
    public static void assertValidPrometheusText(String exposition) {
        Path promtool = require("promtool", "Debian package prometheus");
        Outcome o = run(List.of(promtool.toString(), "check", "metrics"), null, Map.of(), exposition, 60);
        Assertions.assertEquals(0, o.exitCode(), () -> "promtool check metrics failed:\n" + o.output()
                + "\n--- exposition ---\n" + exposition);
    }
}
