package io.mom.server.metrics;

import com.codahale.metrics.Metric;
import com.codahale.metrics.MetricRegistry;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * One measurement with labels, such as messages published per destination: a Dropwizard metric per
 * combination of label values, registered as {@code <name>[<value>,<value>]} (so any Dropwizard reporter
 * sees it too), and exported to Prometheus as one family by {@link LabelledFamilies}.
 *
 * <p>Thread-safe: {@link #get} creates a member at most once per combination; removal is safe
 * concurrently with updates (an update racing a removal lands on a metric nobody exports).
 *
 * @param <M> the Dropwizard metric type of the members
 */
final class MetricFamily<M extends Metric> {
    /** How the members appear in the Prometheus text format. */
    enum Kind {
        /** A monotonic count ({@code _total}); members are {@link com.codahale.metrics.Counting}. */
        COUNTER,
        /** A value that goes up and down; members are {@link com.codahale.metrics.Counter}s. */
        GAUGE,
        /** Latency quantiles, count and sum in seconds; members are {@link SummedTimer}s. */
        SUMMARY
    }

    private final MetricRegistry registry;
    private final String name;
    private final String help;
    private final Kind kind;
    private final List<String> labelNames;
    private final Supplier<M> factory;
    private final ConcurrentHashMap<List<String>, M> members = new ConcurrentHashMap<>();

    /**
     * @param name Prometheus family name without the {@code _total} suffix, such as {@code mom_published};
     *             also the prefix of the members' Dropwizard names
     */
    MetricFamily(MetricRegistry registry, String name, String help, Kind kind, List<String> labelNames,
                 Supplier<M> factory) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.name = name;
        this.help = help;
        this.kind = kind;
        this.labelNames = List.copyOf(labelNames);
        this.factory = factory;
    }

    String name() {
        return name;
    }

    String help() {
        return help;
    }

    Kind kind() {
        return kind;
    }

    List<String> labelNames() {
        return labelNames;
    }

    /** The member for these label values (in the order of {@link #labelNames()}), created on first use. */
    M get(String... labelValues) {
        if (labelValues.length != labelNames.size()) {
            throw new IllegalArgumentException(name + " takes " + labelNames.size() + " label values");
        }
        List<String> key = List.of(labelValues);
        M existing = members.get(key);
        if (existing != null) {
            return existing;
        }
        return members.computeIfAbsent(key, k -> registry.register(dropwizardName(k), factory.get()));
    }

    /** The member for these label values, or null. */
    M peek(String... labelValues) {
        return members.get(List.of(labelValues));
    }

    /** A live view of the members by label values. */
    Map<List<String>, M> members() {
        return members;
    }

    /** Removes every member whose label number {@code index} has this value. */
    void removeWhere(int index, String value) {
        members.keySet().removeIf(k -> {
            if (k.get(index).equals(value)) {
                registry.remove(dropwizardName(k));
                return true;
            }
            return false;
        });
    }

    private String dropwizardName(List<String> labelValues) {
        return name + "[" + String.join(",", labelValues) + "]";
    }

    /** True for Dropwizard names of family members (the plain bridge must skip them). */
    static boolean isMemberName(String dropwizardName) {
        return dropwizardName.endsWith("]") && dropwizardName.indexOf('[') > 0;
    }
}
