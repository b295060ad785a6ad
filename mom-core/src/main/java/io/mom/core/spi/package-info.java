/**
 * Ports of the core: the store, replication, cluster view, events, scheduling and ids. Adapters in
 * other modules implement them; the server wires them into a {@link io.mom.core.BrokerBuilder}.
 */
package io.mom.core.spi;
