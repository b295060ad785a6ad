package io.mom.cluster;

/**
 * Told about nodes joining, updating and leaving the cluster, as seen by this node's cache of
 * {@code /nodes}. Callbacks run on a Curator cache thread, one at a time; they must be quick and
 * must not block on ZooKeeper. Events of one node arrive in order. Every method has a no-op default.
 */
public interface MembershipListener {
    /** A node registered (also called for every node present when the cache first loads). */
    default void joined(Member member) {
    }

    /** A live node changed its data (usually its load). */
    default void updated(Member member) {
    }

    /** A node's registration disappeared: it closed, crashed, or lost its ZooKeeper session. */
    default void left(String nodeId) {
    }

    /**
     * This node could not register again after a session loss because another live process holds
     * its node id. The node stays unregistered; operators must resolve the duplicate.
     */
    default void registrationConflict(String nodeId) {
    }
}
