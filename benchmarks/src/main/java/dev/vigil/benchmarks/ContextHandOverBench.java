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
 * One traced hand-over as the executor, fork/join and thread instrumentations make it, called directly on
 * {@link ContextPropagation}: capture under an active span, then attach and detach on the worker's side (single
 * thread, so the figure is the map and the context swaps without any cross-core traffic). The baseline is what the
 * benchmark needs without any agent: making the span current and closing its scope.
 */
@State(org.openjdk.jmh.annotations.Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {AgentFork.HEAP_MIN, AgentFork.HEAP_MAX})
public class ContextHandOverBench {
    private ContextPropagation propagation;
    private Span span;
    private final Object task = new Object();

    @Setup
    public void setUp() {
        AgentFork.expectAgent(false);
        propagation = new ContextPropagation();
        span = Span.wrap(SpanContext.create("4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7",
                TraceFlags.getSampled(), TraceState.getDefault()));
    }

    @Benchmark
    @SuppressWarnings("try") // the scope is the point
    public void baselineMakeCurrent() {
        try (Scope ignored = span.makeCurrent()) {
            // nothing: the scope alone
        }
    }

    /** One traced hand-over: capture under an active span, then attach and detach on the worker side. */
    @Benchmark
    @SuppressWarnings("try") // the scope is the point
    public void tracedHandOver() {
        try (Scope ignored = span.makeCurrent()) {
            propagation.capture(task, null);
        }
        propagation.detach(propagation.attach(task));
    }
}
