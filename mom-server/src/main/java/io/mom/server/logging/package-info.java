/**
 * Operational logs of the server, one {@code key=value} line per event (FR-23): broker events
 * ({@link io.mom.server.logging.LoggingBrokerEvents}), cluster events
 * ({@link io.mom.server.logging.ClusterEventLog}) and the optional rolling log files
 * ({@link io.mom.server.logging.LogFiles}). No line ever carries a password, a token or a message payload.
 */
package io.mom.server.logging;
