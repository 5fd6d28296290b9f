package dev.vigil.benchmarks;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Tasks handed to a {@code ThreadPoolExecutor} (one worker, unbounded queue), with and without the agent: each
 * operation is one {@code execute} of a new task plus its run on the worker; the figure is per task, a batch of
 * {@value #BATCH} being awaited at a time. With the agent, {@code execute} captures the caller's context and the
 * worker attaches it around {@code run()}; no span is active here (the application has no API to open one), so
 * this is the cost every untraced hand-over pays. The traced hand-over is {@link ContextPropagationBench}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 10, time = 1) // the agent fork needs 6-10 s to reach steady state on a loaded 2-core machine
@Measurement(iterations = 3, time = 1)
public abstract class ExecutorBench {
    static final int BATCH = 1000;

    private ThreadPoolExecutor pool;

    abstract boolean withAgent();

    @Setup
    public void setUp() {
        AgentFork.expectAgent(withAgent());
        pool = new ThreadPoolExecutor(1, 1, 1, TimeUnit.MINUTES, new LinkedBlockingQueue<>());
        pool.prestartAllCoreThreads();
    }

    @TearDown
    public void tearDown() throws InterruptedException {
        pool.shutdown();
        pool.awaitTermination(10, TimeUnit.SECONDS);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void executeAndRun() throws InterruptedException {
        CountDownLatch done = new CountDownLatch(BATCH);
        for (int i = 0; i < BATCH; i++) {
            pool.execute(done::countDown);
        }
        done.await();
    }

    @Fork(value = 1, jvmArgsAppend = {AgentFork.HEAP_MIN, AgentFork.HEAP_MAX})
    public static class NoAgent extends ExecutorBench {
        @Override
        boolean withAgent() {
            return false;
        }
    }

    @Fork(value = 1, jvmArgsAppend = {AgentFork.HEAP_MIN, AgentFork.HEAP_MAX, AgentFork.JAVAAGENT})
    public static class Vigil extends ExecutorBench {
        @Override
        boolean withAgent() {
            return true;
        }
    }
}
