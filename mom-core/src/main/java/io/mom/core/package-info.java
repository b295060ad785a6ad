/**
 * The public API of MOM's core: {@link io.mom.core.Broker} and the values it takes and returns.
 * Start with {@link io.mom.core.Broker#builder()}.
 */
package io.mom.core;
