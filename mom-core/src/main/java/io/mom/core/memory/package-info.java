/** In-memory adapters of the core ports: the embedded defaults, also used by tests. */
package io.mom.core.memory;
