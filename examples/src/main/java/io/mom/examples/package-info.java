/**
 * Runnable example applications. {@link io.mom.examples.EmbeddedExample} embeds a broker (no server);
 * {@link io.mom.examples.ProducerApp}, {@link io.mom.examples.ConsumerApp} and
 * {@link io.mom.examples.ChatApp} talk to a running server through the Java client. Each has a
 * {@code main} and a testable {@code run(...)} that returns the exit code; {@link io.mom.examples.Examples}
 * dispatches to them from the shaded jar ({@code java -jar mom-examples.jar producer --help}).
 */
package io.mom.examples;
