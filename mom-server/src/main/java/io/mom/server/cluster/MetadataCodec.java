package io.mom.server.cluster;

import io.mom.core.DestinationOptions;
import io.mom.core.DestinationType;
import io.mom.core.Overflow;
import io.mom.core.Role;
import io.mom.core.spi.DestinationRecord;
import io.mom.core.spi.UserRecord;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Encodes the records kept as cluster-wide metadata in ZooKeeper (users, destinations) as UTF-8
 * {@code key=value} text, readable with {@code zkCli get}. Stateless.
 */
final class MetadataCodec {
    private MetadataCodec() {
    }

    static byte[] user(UserRecord u) {
        Properties p = new Properties();
        p.setProperty("username", u.username());
        p.setProperty("hash", u.passwordHash());
        p.setProperty("roles", u.roles().stream().map(Enum::name).sorted().collect(Collectors.joining(",")));
        p.setProperty("notBefore", u.tokensNotBefore().toString());
        return write(p);
    }

    static UserRecord user(byte[] bytes) {
        Properties p = read(bytes);
        Set<Role> roles = EnumSet.noneOf(Role.class);
        for (String r : p.getProperty("roles", "").split(",")) {
            if (!r.isEmpty()) {
                roles.add(Role.valueOf(r));
            }
        }
        return new UserRecord(p.getProperty("username"), p.getProperty("hash"), roles,
                Instant.parse(p.getProperty("notBefore")));
    }

    static byte[] destination(DestinationRecord d) {
        Properties p = new Properties();
        p.setProperty("type", d.type().name());
        p.setProperty("name", d.name());
        p.setProperty("owner", d.owner());
        p.setProperty("createdAt", d.createdAt().toString());
        DestinationOptions o = d.options();
        p.setProperty("partitions", Integer.toString(o.partitions()));
        p.setProperty("ackTimeoutMs", Long.toString(o.ackTimeout().toMillis()));
        p.setProperty("maxDeliveries", Integer.toString(o.maxDeliveries()));
        o.ttl().ifPresent(ttl -> p.setProperty("ttlMs", Long.toString(ttl.toMillis())));
        o.maxLength().ifPresent(max -> p.setProperty("maxLength", Long.toString(max)));
        p.setProperty("overflow", o.overflow().name());
        return write(p);
    }

    static DestinationRecord destination(byte[] bytes) {
        Properties p = read(bytes);
        DestinationOptions options = DestinationOptions.builder()
                .partitions(Integer.parseInt(p.getProperty("partitions")))
                .ackTimeout(Duration.ofMillis(Long.parseLong(p.getProperty("ackTimeoutMs"))))
                .maxDeliveries(Integer.parseInt(p.getProperty("maxDeliveries")))
                .ttl(Optional.ofNullable(p.getProperty("ttlMs")).map(Long::parseLong).map(Duration::ofMillis).orElse(null))
                .maxLength(Optional.ofNullable(p.getProperty("maxLength")).map(Long::parseLong).orElse(null))
                .overflow(Overflow.valueOf(p.getProperty("overflow")))
                .build();
        return new DestinationRecord(DestinationType.valueOf(p.getProperty("type")), p.getProperty("name"),
                p.getProperty("owner"), options, Instant.parse(p.getProperty("createdAt")));
    }

    private static byte[] write(Properties p) {
        StringWriter out = new StringWriter();
        try {
            p.store(out, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // Drop the date comment line Properties writes, so equal records encode equally.
        String text = out.toString().lines().filter(l -> !l.startsWith("#")).sorted()
                .collect(Collectors.joining("\n", "", "\n"));
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static Properties read(byte[] bytes) {
        Properties p = new Properties();
        try {
            p.load(new StringReader(new String(bytes, StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }
}
