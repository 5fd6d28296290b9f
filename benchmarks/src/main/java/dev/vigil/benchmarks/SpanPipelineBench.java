package dev.vigil.benchmarks;

import dev.vigil.agent.config.Config;
import dev.vigil.agent.trace.Tracing;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Logger;

/**
 * The agent's tracing pipeline, in process: a CLIENT span with three attributes started and ended through the
 * tracer that {@link Tracing} builds from the agent's configuration (its sampler, its bounded
 * {@code BatchSpanProcessor} with the default queue of 2048 and batches of 512, its counting exporter), the
 * export itself discarded. {@code recorded} is a sampled span (start + end + enqueue), {@code sampledOut} one the
 * sampler drops, and the baseline the same calls on OpenTelemetry's no-op tracer (instrumented code with tracing
 * off). After each iteration the fork prints how many spans the export thread took and how many were dropped
 * because the queue was full (a single thread ending spans back to back can outrun the export thread: dropped
 * spans skip the enqueue, so their share is part of the figure).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {AgentFork.HEAP_MIN, AgentFork.HEAP_MAX})
public class SpanPipelineBench {
    private static final AttributeKey<String> SYSTEM = AttributeKey.stringKey("db.system.name");
    private static final AttributeKey<String> OPERATION = AttributeKey.stringKey("db.operation.name");
    private static final AttributeKey<String> COLLECTION = AttributeKey.stringKey("db.collection.name");

    /** The SDK reports drops through JUL once a second; the agent silences it too (it counts them instead). */
    private static final Logger SDK_LOG = Logger.getLogger("io.opentelemetry");

    private Tracing recording;
    private Tracing sampling;
    private Tracer noop;
    private final DiscardingExporter discarded = new DiscardingExporter();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    /** The agent's one background thread, as in the agent: batching and export run there. */
    private final dev.vigil.exporters.AgentScheduler scheduler = new dev.vigil.exporters.AgentScheduler(Thread::new);
    private double exportedBefore;
    private double droppedBefore;

    @Setup
    public void setUp() {
        AgentFork.expectAgent(false);
        SDK_LOG.setLevel(java.util.logging.Level.OFF);
        recording = Tracing.start(config("traces.sampler=parentbased_always_on"), discarded, "discard",
                Resource.empty(), "bench", scheduler);
        sampling = Tracing.start(config("traces.sampler=always_off"), new DiscardingExporter(), "discard",
                Resource.empty(), "bench", scheduler);
        noop = OpenTelemetry.noop().getTracer(Tracing.INSTRUMENTATION_SCOPE);
        recording.bindTo(registry);
    }

    private static Config config(String args) {
        return Config.load(args, Map.of(), new Properties());
    }

    @TearDown
    public void tearDown() {
        recording.shutdown(Duration.ofSeconds(5), Thread::new);
        sampling.shutdown(Duration.ofSeconds(5), Thread::new);
        scheduler.shutdownNow();
    }

    @Setup(Level.Iteration)
    public void countFrom() {
        exportedBefore = counter("vigil.agent.spans.exported");
        droppedBefore = counter("vigil.agent.spans.dropped");
    }

    @TearDown(Level.Iteration)
    public void report() {
        long exported = (long) (counter("vigil.agent.spans.exported") - exportedBefore);
        long dropped = (long) (counter("vigil.agent.spans.dropped") - droppedBefore);
        if (exported + dropped > 0) {
            System.out.printf("  [pipeline: %,d spans exported (discarded), %,d dropped on a full queue, %.1f %%]%n",
                    exported, dropped, 100.0 * dropped / (exported + dropped));
        }
    }

    private double counter(String name) {
        FunctionCounter counter = registry.find(name).functionCounter();
        return counter == null ? 0 : counter.count();
    }

    private static void span(Tracer tracer) {
        Span span = tracer.spanBuilder("SELECT items")
                .setSpanKind(SpanKind.CLIENT)
                .setAttribute(SYSTEM, "h2")
                .setAttribute(OPERATION, "SELECT")
                .setAttribute(COLLECTION, "items")
                .startSpan();
        span.end();
    }

    @Benchmark
    public void baselineNoopTracer() {
        span(noop);
    }

    @Benchmark
    public void sampledOut() {
        span(sampling.tracer());
    }

    @Benchmark
    public void recorded() {
        span(recording.tracer());
    }

    /** Takes every batch and drops it, as fast as possible. */
    static final class DiscardingExporter implements SpanExporter {
        final LongAdder spans = new LongAdder();

        @Override
        public CompletableResultCode export(Collection<SpanData> batch) {
            spans.add(batch.size());
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode flush() {
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode shutdown() {
            return CompletableResultCode.ofSuccess();
        }
    }
}
