package io.mom.core;

/**
 * Result of an idempotent declaration.
 *
 * @param value   the declared thing
 * @param created true if this call created it, false if it existed with the same owner and options
 */
public record Declared<T>(T value, boolean created) {
}
