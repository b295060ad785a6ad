/**
 * Benchmarks, built with the reactor and never run by the test suite: JMH throughput of the embedded broker in
 * memory ({@link io.mom.benchmarks.InVmThroughput}) and on RocksDB ({@link io.mom.benchmarks.DurableThroughput}),
 * and the recovery time of a RocksDB store at broker start ({@link io.mom.benchmarks.DurableRecovery}). Figures
 * and commands are in {@code docs/benchmarks.md}.
 */
package io.mom.benchmarks;
