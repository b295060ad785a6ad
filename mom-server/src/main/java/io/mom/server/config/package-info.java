/**
 * Server configuration: the settings ({@link io.mom.server.config.Setting}), the immutable
 * {@link io.mom.server.config.ServerConfig} and the one {@link io.mom.server.config.ConfigLoader} that
 * merges flags, environment, a properties file and defaults.
 */
package io.mom.server.config;
