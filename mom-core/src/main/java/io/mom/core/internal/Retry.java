package io.mom.core.internal;

/** A message waiting to be delivered again, with the number of deliveries it has had. */
record Retry(Entry entry, int deliveries) {
}
