/**
 * JMH microbenchmarks for Vigil's hot paths, each measured next to a baseline in the same run.
 *
 * <p>Two kinds:
 * <ul>
 *   <li>in-process benchmarks of agent internals ({@link dev.vigil.benchmarks.SqlSanitizerBench},
 *       {@link dev.vigil.benchmarks.SpanPipelineBench}, {@link dev.vigil.benchmarks.ContextPropagationBench}),
 *       compiled against the agent module's plain classes; the baseline is a method of the same class whose name
 *       starts with {@code baseline};</li>
 *   <li>instrumented library calls ({@link dev.vigil.benchmarks.JdbcBench}, {@link dev.vigil.benchmarks.HttpClientBench},
 *       {@link dev.vigil.benchmarks.ExecutorBench}, {@link dev.vigil.benchmarks.JmsBench}): an abstract class holds
 *       the benchmark, its nested {@code NoAgent} class runs it in a fork without the agent and {@code Vigil} in a
 *       fork started with {@code -javaagent:agent/target/vigil-agent.jar} (see
 *       {@link dev.vigil.benchmarks.AgentFork}).</li>
 * </ul>
 * Nothing in this package is itself instrumented (the agent ignores {@code dev.vigil.*}); the code under test is the
 * JDK's, H2's and Artemis's, as in an application.
 */
package dev.vigil.benchmarks;
