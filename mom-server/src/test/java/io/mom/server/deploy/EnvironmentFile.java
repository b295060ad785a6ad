package io.mom.server.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads a file the way systemd's {@code EnvironmentFile=} does, for the cases our examples use: one
 * {@code NAME=value} per line, blank lines and lines starting with {@code #} or {@code ;} ignored,
 * whitespace around the value trimmed, one pair of surrounding quotes removed. Stateless.
 */
final class EnvironmentFile {
    private EnvironmentFile() {
    }

    static Map<String, String> read(Path file) throws IOException {
        Map<String, String> env = new LinkedHashMap<>();
        int number = 0;
        for (String raw : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            number++;
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
                continue;
            }
            int eq = line.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException(file + ":" + number + ": not NAME=value: " + raw);
            }
            String name = line.substring(0, eq).strip();
            if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                throw new IllegalArgumentException(file + ":" + number + ": bad variable name " + name);
            }
            String value = line.substring(eq + 1).strip();
            if (value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"")
                    || value.startsWith("'") && value.endsWith("'"))) {
                value = value.substring(1, value.length() - 1);
            }
            env.put(name, value);
        }
        return env;
    }
}
