/**
 * The standalone server: {@link io.mom.server.Main} (command line, shutdown hook) and
 * {@link io.mom.server.MomServer} (the composition root wiring store, users, tokens, broker, metrics and
 * the REST listener).
 */
package io.mom.server;
