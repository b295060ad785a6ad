/**
 * Server-sent-event push streams: a non-blocking writer per response ({@link
 * io.mom.transport.rest.internal.sse.SseChannel}), the bridge to a broker consumer ({@link
 * io.mom.transport.rest.internal.sse.StreamSession}) and the registry used to close streams on logout.
 */
package io.mom.transport.rest.internal.sse;
