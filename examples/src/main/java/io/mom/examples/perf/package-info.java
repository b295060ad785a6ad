/**
 * {@code mom-perf-test.jar}: a load generator in the spirit of RabbitMQ's PerfTest, used by every
 * benchmark of the project. {@link io.mom.examples.perf.PerfTest} is the command;
 * {@link io.mom.examples.perf.Producer} runs one producer, {@link io.mom.examples.perf.Measurements}
 * counts and times, {@link io.mom.examples.perf.Stamp} carries the publish time in each message.
 */
package io.mom.examples.perf;
