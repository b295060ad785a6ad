package io.mom.server.config;

import io.mom.core.MomException;
import io.mom.store.mongo.MongoStoreSettings;

import java.io.IOException;
import java.io.Reader;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Builds a {@link ServerConfig} from, highest precedence first: command-line flags
 * ({@code --http-port=8080}), environment variables ({@code MOM_HTTP_PORT}), a properties file
 * ({@code --config=mom.properties} or {@code MOM_CONFIG}, keys like {@code http.port}) and the defaults of
 * {@link Setting}. Unknown flags, unknown {@code MOM_*} variables and unknown file keys are errors, as are
 * malformed values; each message names the setting and where it came from. Stateless.
 */
public final class ConfigLoader {
    /** Flag and variable naming the properties file. */
    public static final String CONFIG_FLAG = "--config";
    public static final String CONFIG_ENV = "MOM_CONFIG";

    private ConfigLoader() {
    }

    /** A value and where it was set, for error messages. */
    private record Sourced(String value, String origin) {
    }

    public static ServerConfig load(String[] args, Map<String, String> env) {
        List<String> unknown = new ArrayList<>();
        Map<Setting, Sourced> flags = new EnumMap<>(Setting.class);
        String configFile = null;
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (!arg.startsWith("--") || eq < 0) {
                throw new ConfigException("arguments are written --name=value, got '" + arg + "'");
            }
            String name = arg.substring(0, eq);
            String value = arg.substring(eq + 1);
            if (name.equals(CONFIG_FLAG)) {
                configFile = value;
                continue;
            }
            Optional<Setting> s = Setting.byKey(name.substring(2).replace('-', '.'));
            if (s.isEmpty()) {
                unknown.add(name + " (command line)");
            } else {
                flags.put(s.get(), new Sourced(value, s.get().flag()));
            }
        }
        Map<Setting, Sourced> environment = new EnumMap<>(Setting.class);
        for (Map.Entry<String, String> e : new TreeMap<>(env).entrySet()) {
            if (!e.getKey().startsWith("MOM_")) {
                continue;
            }
            if (e.getKey().equals(CONFIG_ENV)) {
                if (configFile == null) {
                    configFile = e.getValue();
                }
                continue;
            }
            Optional<Setting> s = Setting.byEnv(e.getKey());
            if (s.isEmpty()) {
                unknown.add(e.getKey() + " (environment)");
            } else {
                environment.put(s.get(), new Sourced(e.getValue(), e.getKey()));
            }
        }
        Map<Setting, Sourced> file = configFile == null ? Map.of() : readFile(Path.of(configFile), unknown);
        if (!unknown.isEmpty()) {
            throw new ConfigException("unknown setting" + (unknown.size() > 1 ? "s: " : ": ") + String.join(", ", unknown)
                    + ". Known settings: " + known());
        }
        Map<Setting, Sourced> merged = new EnumMap<>(Setting.class);
        for (Setting s : Setting.values()) {
            s.defaultValue().ifPresent(v -> merged.put(s, new Sourced(v, "default of " + s.key())));
        }
        merged.putAll(file);
        merged.putAll(environment);
        merged.putAll(flags);
        return build(new Values(merged));
    }

    private static Map<Setting, Sourced> readFile(Path path, List<String> unknown) {
        Properties props = new Properties();
        try (Reader in = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            props.load(in);
        } catch (NoSuchFileException e) {
            throw new ConfigException("configuration file " + path + " does not exist");
        } catch (IOException | IllegalArgumentException e) {
            throw new ConfigException("configuration file " + path + " cannot be read: " + e.getMessage());
        }
        Map<Setting, Sourced> out = new EnumMap<>(Setting.class);
        for (String key : new TreeMap<>(props).keySet().stream().map(Object::toString).toList()) {
            Optional<Setting> s = Setting.byKey(key);
            if (s.isEmpty()) {
                unknown.add(key + " (" + path + ")");
            } else {
                out.put(s.get(), new Sourced(props.getProperty(key).trim(), key + " in " + path));
            }
        }
        return out;
    }

    private static String known() {
        StringBuilder sb = new StringBuilder();
        for (Setting s : Setting.values()) {
            sb.append(sb.length() == 0 ? "" : ", ").append(s.key());
        }
        return sb.toString();
    }

    private static ServerConfig build(Values v) {
        String bind = v.string(Setting.BIND).orElseThrow();
        String nodeId = v.string(Setting.NODE_ID).orElseGet(ConfigLoader::hostName);
        if (!io.mom.core.Names.isValid(nodeId)) {
            throw v.invalid(Setting.NODE_ID, "a name of letters, digits, '.', '_' or '-'");
        }
        String advertised = v.string(Setting.ADVERTISED_HOST)
                .orElse(bind.equals("0.0.0.0") || bind.equals("::") ? hostName() : bind);
        ServerConfig.Node node = new ServerConfig.Node(nodeId, bind, advertised,
                Path.of(v.string(Setting.DATA_DIR).orElseThrow()));
        ServerConfig.Rest rest = new ServerConfig.Rest(v.port(Setting.HTTP_PORT),
                v.duration(Setting.SSE_HEARTBEAT, Duration.ofMillis(1)));
        ServerConfig.Grpc grpc = new ServerConfig.Grpc(v.port(Setting.GRPC_PORT));
        ServerConfig.Store store = new ServerConfig.Store(v.storeKind(), v.string(Setting.MONGO_URI),
                v.string(Setting.MONGO_DATABASE).orElse(MongoStoreSettings.databaseForNode(nodeId)),
                v.mongoWriteConcern(), v.size(Setting.MEMORY_BUDGET, 1, Long.MAX_VALUE));
        if (store.kind() == ServerConfig.Store.Kind.MONGO) {
            if (store.mongoUri().isEmpty()) {
                throw new ConfigException("store=mongo needs " + Setting.MONGO_URI.env() + " (" + Setting.MONGO_URI.key()
                        + "), a connection string such as mongodb://host:27017");
            }
            try {
                store.mongoSettings();
            } catch (MomException e) {
                // Says what is wrong without quoting the connection string, which may hold a password.
                throw new ConfigException(e.getMessage());
            }
        }
        ServerConfig.Cluster cluster = new ServerConfig.Cluster(v.string(Setting.ZK_CONNECT),
                v.string(Setting.CLUSTER).orElseThrow(), v.duration(Setting.ZK_SESSION_TIMEOUT, Duration.ofMillis(100)),
                v.integer(Setting.REPLICATION_FACTOR, 1, 16), v.integer(Setting.MIN_INSYNC, 1, 16),
                v.duration(Setting.FAILOVER_GRACE, Duration.ofMillis(1)), v.positiveNumber(Setting.LOAD_REDIRECT_THRESHOLD));
        if (cluster.minInsync() > cluster.replicationFactor()) {
            throw new ConfigException(Setting.MIN_INSYNC.key() + " (" + cluster.minInsync() + ") cannot exceed "
                    + Setting.REPLICATION_FACTOR.key() + " (" + cluster.replicationFactor() + ")");
        }
        Optional<String> jwtSecret = v.string(Setting.JWT_SECRET);
        if (jwtSecret.isPresent() && jwtSecret.get().length() < 32) {
            throw new ConfigException(Setting.JWT_SECRET.env() + " must have at least 32 characters");
        }
        ServerConfig.Security security = new ServerConfig.Security(v.string(Setting.ADMIN_PASSWORD), jwtSecret,
                v.string(Setting.CLUSTER_SECRET), v.duration(Setting.TOKEN_TTL, Duration.ofSeconds(1)),
                v.path(Setting.TLS_CERT), v.path(Setting.TLS_KEY), v.path(Setting.TLS_CA));
        if (security.tlsCert().isPresent() != security.tlsKey().isPresent()) {
            throw new ConfigException("HTTPS needs both " + Setting.TLS_CERT.env() + " and " + Setting.TLS_KEY.env());
        }
        ServerConfig.Limits limits = new ServerConfig.Limits(v.size(Setting.MAX_BODY, 1024, Integer.MAX_VALUE),
                (int) v.size(Setting.MAX_PAYLOAD, 1, Integer.MAX_VALUE), v.integer(Setting.MAX_BATCH, 1, 100_000),
                v.integer(Setting.MAX_HEADERS, 0, 10_000));
        ServerConfig.Observability observability = new ServerConfig.Observability(v.path(Setting.LOG_DIR),
                v.integer(Setting.METRICS_MAX_DESTINATIONS, 0, 1_000_000));
        return new ServerConfig(node, rest, grpc, store, cluster, security, limits,
                v.duration(Setting.SHUTDOWN_TIMEOUT, Duration.ofMillis(1)), observability);
    }

    static String hostName() {
        String name;
        try {
            name = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            name = "localhost";
        }
        String cleaned = name.replaceAll("[^A-Za-z0-9._-]", "-");
        return cleaned.isEmpty() ? "localhost" : cleaned.substring(0, Math.min(120, cleaned.length()));
    }

    /** Typed access to the merged values, with errors naming the source. */
    private static final class Values {
        private final Map<Setting, Sourced> values;

        Values(Map<Setting, Sourced> values) {
            this.values = values;
        }

        Optional<String> string(Setting s) {
            Sourced v = values.get(s);
            return v == null || v.value().isEmpty() ? Optional.empty() : Optional.of(v.value());
        }

        Optional<Path> path(Setting s) {
            return string(s).map(Path::of);
        }

        int port(Setting s) {
            return integer(s, 0, 65535);
        }

        int integer(Setting s, int min, int max) {
            String text = string(s).orElseThrow(() -> invalid(s, "an integer between " + min + " and " + max));
            try {
                int n = Integer.parseInt(text.trim());
                if (n >= min && n <= max) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw invalid(s, "an integer between " + min + " and " + max);
        }

        Duration duration(Setting s, Duration min) {
            try {
                Duration d = Units.duration(string(s).orElse(""));
                if (d.compareTo(min) < 0) {
                    throw new IllegalArgumentException("at least " + min.toMillis() + "ms");
                }
                return d;
            } catch (IllegalArgumentException e) {
                throw invalid(s, e.getMessage());
            }
        }

        long size(Setting s, long min, long max) {
            try {
                long n = Units.size(string(s).orElse(""));
                if (n < min || n > max) {
                    throw new IllegalArgumentException("between " + min + " and " + max + " bytes");
                }
                return n;
            } catch (IllegalArgumentException e) {
                throw invalid(s, e.getMessage());
            }
        }

        Optional<Double> positiveNumber(Setting s) {
            Optional<String> text = string(s);
            if (text.isEmpty()) {
                return Optional.empty();
            }
            try {
                double d = Double.parseDouble(text.get());
                if (d > 0 && Double.isFinite(d)) {
                    return Optional.of(d);
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw invalid(s, "a positive number");
        }

        ServerConfig.Store.Kind storeKind() {
            String text = string(Setting.STORE).orElse("").toUpperCase(Locale.ROOT);
            for (ServerConfig.Store.Kind k : ServerConfig.Store.Kind.values()) {
                if (k.name().equals(text)) {
                    return k;
                }
            }
            throw invalid(Setting.STORE, "rocksdb, mongo or memory");
        }

        MongoStoreSettings.Durability mongoWriteConcern() {
            String text = string(Setting.MONGO_WRITE_CONCERN).orElse("").trim().toUpperCase(Locale.ROOT).replace('-', '_');
            for (MongoStoreSettings.Durability d : MongoStoreSettings.Durability.values()) {
                if (d.name().equals(text)) {
                    return d;
                }
            }
            throw invalid(Setting.MONGO_WRITE_CONCERN, "majority-journaled, majority, journaled or acknowledged");
        }

        ConfigException invalid(Setting s, String expected) {
            Sourced v = values.get(s);
            String origin = v == null ? s.key() : v.origin();
            String got = v == null ? "nothing" : s.isSecret() ? "a value" : "'" + v.value() + "'";
            return new ConfigException(origin + " must be " + expected + ", got " + got);
        }
    }
}
