/**
 * Authentication and user administration: the ports shared by the REST and gRPC transports
 * ({@link io.mom.core.auth.Authenticator}, {@link io.mom.core.auth.UserDirectory}) and the JDK-only user
 * directory behind them ({@link io.mom.core.auth.Users} with {@link io.mom.core.auth.PasswordHasher}).
 * Token formats live in the transports.
 */
package io.mom.core.auth;
