package io.mom.cluster;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * The ZooKeeper layout of one cluster, relative to the Curator namespace {@code mom/<cluster>}:
 * <pre>
 * /nodes/&lt;nodeId&gt;                              ephemeral, one per live node (addresses, load)
 * /controller/...                              LeaderLatch of the controller election
 * /placements/&lt;destination&gt;                  declared destination (partition count); names URL-encoded
 * /placements/&lt;destination&gt;/&lt;partition&gt;    leader, replicas, in-sync set, epoch (versioned)
 * /reports/&lt;destination&gt;/&lt;partition&gt;/&lt;node&gt; "caught up" reports waiting for the controller
 * /missing/&lt;nodeId&gt;                            when the controller first saw an assigned node missing
 * /meta/{destinations,users,revoked}/&lt;key&gt;      cluster-wide metadata (keys URL-encoded)
 * /meta/jwt-key                                the shared token signing key
 * </pre>
 * Stateless.
 */
final class ClusterPaths {
    static final String NODES = "/nodes";
    static final String CONTROLLER = "/controller";
    static final String PLACEMENTS = "/placements";
    static final String REPORTS = "/reports";
    static final String MISSING = "/missing";
    static final String META = "/meta";
    static final String JWT_KEY = META + "/jwt-key";

    private ClusterPaths() {
    }

    static String node(String nodeId) {
        return NODES + "/" + nodeId;
    }

    static String destination(String destination) {
        return PLACEMENTS + "/" + encodeKey(destination);
    }

    static String placement(PartitionId id) {
        return destination(id.destination()) + "/" + id.partition();
    }

    static String reports(String destination) {
        return REPORTS + "/" + encodeKey(destination);
    }

    static String report(PartitionId id, String nodeId) {
        return reports(id.destination()) + "/" + id.partition() + "/" + nodeId;
    }

    static String missing(String nodeId) {
        return MISSING + "/" + nodeId;
    }

    /** The last segment of a path. */
    static String last(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    /** Splits a path below {@code root} into its segments; empty when the path is the root itself. */
    static String[] below(String root, String path) {
        if (path.length() <= root.length() + 1 || !path.startsWith(root + "/")) {
            return new String[0];
        }
        return path.substring(root.length() + 1).split("/");
    }

    /** Makes any key safe as one path segment (metadata keys such as user names are free-form). */
    static String encodeKey(String key) {
        String encoded = URLEncoder.encode(key, StandardCharsets.UTF_8);
        // "." and ".." are not valid znode names.
        return encoded.equals(".") || encoded.equals("..") ? encoded.replace(".", "%2E") : encoded;
    }

    static String decodeKey(String segment) {
        return URLDecoder.decode(segment, StandardCharsets.UTF_8);
    }
}
