package dev.vigil.benchmarks;

import dev.vigil.agent.trace.ContextPropagation;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Scope;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * The fast paths of the context hand-over that the executor, fork/join and thread instrumentations make when no
 * span is active, called directly on {@link ContextPropagation} (single thread). Without the agent these calls do
 * not exist, so the baseline is zero; {@link ExecutorBench} measures them inside a real pool with the agent attached
 * and {@link ContextHandOverBench} the traced hand-over.
 */
@State(org.openjdk.jmh.annotations.Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {AgentFork.HEAP_MIN, AgentFork.HEAP_MAX})
public class ContextPropagationBench {
    private static final int PENDING = 1000;

    private ContextPropagation propagation;
    /** Holds {@value #PENDING} traced tasks that were captured and never ran. */
    private ContextPropagation busy;
    private final Object[] pendingTasks = new Object[PENDING];
    private final Object task = new Object();

    @Setup
    @SuppressWarnings("try") // the scope is the point
    public void setUp() {
        AgentFork.expectAgent(false);
        propagation = new ContextPropagation();
        busy = new ContextPropagation();
        Span span = Span.wrap(SpanContext.create("4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7",
                TraceFlags.getSampled(), TraceState.getDefault()));
        try (Scope ignored = span.makeCurrent()) {
            for (int i = 0; i < PENDING; i++) {
                pendingTasks[i] = new Object();
                busy.capture(pendingTasks[i], null);
            }
        }
        if (busy.pending() != PENDING) {
            throw new IllegalStateException("expected " + PENDING + " pending tasks, got " + busy.pending());
        }
    }

    /** Every untraced {@code execute}/{@code submit}: no active span, nothing stored. */
    @Benchmark
    public void captureNoSpan() {
        propagation.capture(task, null);
    }

    /** A worker running a task nobody captured ({@code Thread.run}, fork/join {@code doExec}). */
    @Benchmark
    public void attachDetachNothingPending() {
        propagation.detach(propagation.attach(task));
    }

    /** The same while {@value #PENDING} traced tasks wait in queues: the lookup is no longer skipped. */
    @Benchmark
    public void attachDetach1000Pending() {
        busy.detach(busy.attach(task));
    }

    /** A pool worker running an untraced task: attach-or-root makes sure no context leaks from the last task. */
    @Benchmark
    public void attachOrRootDetach() {
        propagation.detach(propagation.attachOrRoot(task));
    }
}
