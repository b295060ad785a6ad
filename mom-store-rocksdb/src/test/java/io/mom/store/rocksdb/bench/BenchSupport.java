package io.mom.store.rocksdb.bench;

import io.mom.core.Message;
import io.mom.core.spi.LogOp;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/** Messages and directories for the benchmarks (not tests: run them by hand, see each class). */
final class BenchSupport {
    static final String QUEUE = "bench";
    static final List<String> QUEUE_SUBSCRIPTION = List.of("$queue");
    private static final int POOL_BYTES = 64 << 20;

    private BenchSupport() {
    }

    /** A pool of random bytes from which each message takes its own (incompressible) slice. */
    static byte[] randomPool() {
        byte[] pool = new byte[POOL_BYTES];
        new Random(42).nextBytes(pool);
        return pool;
    }

    /** A payload of {@code size} bytes that differs from message to message. */
    static byte[] payload(byte[] pool, long sequence, int size) {
        int offset = (int) Math.floorMod(sequence * 7919L, (long) (pool.length - size));
        return Arrays.copyOfRange(pool, offset, offset + size);
    }

    static LogOp.Append append(int partition, long sequence, byte[] payload) {
        Message m = new Message("m-" + partition + "-" + sequence, QUEUE, partition, sequence, payload,
                Map.of("content-type", "application/octet-stream"), Optional.empty(), "bench",
                Instant.ofEpochMilli(1_767_225_600_000L + sequence), Optional.empty());
        return new LogOp.Append(m, QUEUE_SUBSCRIPTION);
    }

    static Path freshDirectory(String[] args, int index, String prefix) throws IOException {
        if (args.length > index) {
            Path dir = Path.of(args[index]);
            deleteRecursively(dir);
            return dir;
        }
        return Files.createTempDirectory(prefix);
    }

    static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                Files.delete(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    static long directoryBytes(Path dir) throws IOException {
        try (var files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }
}
