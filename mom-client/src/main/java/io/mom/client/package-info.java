/**
 * The MOM Java client: the public API of the client library.
 *
 * <p>Start with {@link io.mom.client.MomClient#builder()}. A {@link io.mom.client.MomClient} speaks
 * to a MOM server over the transport picked by the URL scheme ({@code http://} and {@code https://}
 * use the REST API); it manages users, queues, topics and subscriptions, publishes, pulls
 * ({@link io.mom.client.MomClient#receive}) and pushes ({@link io.mom.client.MomClient#subscribe}).
 * Every failure reported by the server is a {@link io.mom.client.MomClientException} subclass
 * carrying the server's stable error code.
 *
 * <p>Everything outside this package ({@code io.mom.client.impl} and below) is implementation and
 * may change without notice.
 */
package io.mom.client;
