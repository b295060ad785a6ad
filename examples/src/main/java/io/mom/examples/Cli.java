package io.mom.examples;

import io.mom.client.MomClientException;
import picocli.CommandLine;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/** Runs a picocli command with given output streams and turns client errors into exit code 1. */
final class Cli {
    /** Exit code of a failed call to the server. */
    static final int FAILED = 1;

    private Cli() {
    }

    static CommandLine commandLine(Object command, PrintStream out) {
        CommandLine cl = new CommandLine(command);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setOut(new PrintWriter(new java.io.OutputStreamWriter(out, StandardCharsets.UTF_8), true));
        cl.setErr(new PrintWriter(new java.io.OutputStreamWriter(out, StandardCharsets.UTF_8), true));
        cl.setExecutionExceptionHandler((e, line, parsed) -> {
            if (e instanceof MomClientException) {
                MomClientException m = (MomClientException) e;
                line.getErr().println("error: " + m.code() + (m.status() > 0 ? " (" + m.status() + ")" : "") + ": "
                        + m.getMessage());
                return FAILED;
            }
            if (e instanceof IllegalArgumentException) {
                line.getErr().println("error: " + e.getMessage());
                return CommandLine.ExitCode.USAGE;
            }
            throw e;
        });
        return cl;
    }

    static int run(Object command, PrintStream out, String... args) {
        int code = commandLine(command, out).execute(args);
        out.flush();
        return code;
    }
}
