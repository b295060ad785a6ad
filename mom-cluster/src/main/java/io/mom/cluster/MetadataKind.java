package io.mom.cluster;

/** The kinds of cluster-wide metadata, each stored under {@code /meta/<segment>/<key>}. */
public enum MetadataKind {
    DESTINATION("destinations"),
    USER("users"),
    REVOKED_TOKEN("revoked");

    private final String segment;

    MetadataKind(String segment) {
        this.segment = segment;
    }

    String path() {
        return ClusterPaths.META + "/" + segment;
    }

    String path(String key) {
        return path() + "/" + ClusterPaths.encodeKey(key);
    }

    static java.util.Optional<MetadataKind> ofSegment(String segment) {
        for (MetadataKind kind : values()) {
            if (kind.segment.equals(segment)) {
                return java.util.Optional.of(kind);
            }
        }
        return java.util.Optional.empty();
    }
}
