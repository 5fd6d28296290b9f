package dev.vigil.agent.trace;

import dev.vigil.agent.config.Config;
import dev.vigil.agent.config.ConfigKey;
import dev.vigil.exporters.Bounded;
import dev.vigil.agent.trace.propagation.BaggagePropagation;
import dev.vigil.agent.trace.propagation.TraceContextPropagator;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.sdk.trace.samplers.Sampler;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * The tracing pipeline: Vigil's tracer ({@link VigilTracer}: spans of its own, decided by the configured SDK
 * sampler), a bounded batching span processor on the agent's shared scheduler ({@link ScheduledSpanProcessor}: a
 * full queue drops and counts, never blocks the application) and the exporter.
 */
public final class Tracing {
    public static final String INSTRUMENTATION_SCOPE = "dev.vigil.agent";

    private final Tracer tracer;
    private final TextMapPropagator propagator;
    private final CountingSpanExporter exporter;
    private final ScheduledSpanProcessor processor;

    private Tracing(Config config, SpanExporter spanExporter, String destination, Resource resource, String version,
                    ScheduledExecutorService scheduler) {
        this.exporter = new CountingSpanExporter(spanExporter, destination);
        this.processor = new ScheduledSpanProcessor(exporter, scheduler, config.getInt(ConfigKey.BSP_QUEUE),
                config.getInt(ConfigKey.BSP_BATCH), config.getInt(ConfigKey.BSP_DELAY), config.getInt(ConfigKey.OTLP_TIMEOUT));
        this.tracer = new VigilTracer(sampler(config), processor, resource, INSTRUMENTATION_SCOPE, version);
        this.propagator = propagator(config);
    }

    /** @param scheduler the agent's shared scheduler, where spans are batched and exported */
    public static Tracing start(Config config, SpanExporter exporter, String destination, Resource resource,
                                String version, ScheduledExecutorService scheduler) {
        return new Tracing(config, exporter, destination, resource, version, scheduler);
    }

    static Sampler sampler(Config config) {
        double ratio = config.getDouble(ConfigKey.SAMPLER_ARG);
        switch (config.get(ConfigKey.SAMPLER)) {
            case "always_on":
                return Sampler.alwaysOn();
            case "always_off":
                return Sampler.alwaysOff();
            case "traceidratio":
                return Sampler.traceIdRatioBased(ratio);
            case "parentbased_always_off":
                return Sampler.parentBased(Sampler.alwaysOff());
            case "parentbased_traceidratio":
                return Sampler.parentBased(Sampler.traceIdRatioBased(ratio));
            default:
                return Sampler.parentBased(Sampler.alwaysOn());
        }
    }

    static TextMapPropagator propagator(Config config) {
        List<TextMapPropagator> list = new ArrayList<>();
        for (String name : config.get(ConfigKey.PROPAGATORS).split(",")) {
            if (name.equals("tracecontext")) {
                list.add(TraceContextPropagator.getInstance());
            } else if (name.equals("baggage")) {
                list.add(BaggagePropagation.propagator());
            }
        }
        return TextMapPropagator.composite(list);
    }

    public Tracer tracer() {
        return tracer;
    }

    public TextMapPropagator propagator() {
        return propagator;
    }

    /** Registers the pipeline's self-telemetry ({@code vigil.agent.spans.*}). */
    public void bindTo(MeterRegistry registry) {
        FunctionCounter.builder("vigil.agent.spans.dropped", processor, ScheduledSpanProcessor::dropped)
                .description("Spans dropped because the export queue was full").register(registry);
        FunctionCounter.builder("vigil.agent.spans.exported", exporter, e -> e.exported.get())
                .description("Spans accepted by the collector").register(registry);
        FunctionCounter.builder("vigil.agent.spans.export.failed", exporter, e -> e.failedSpans.get())
                .description("Spans lost because their export request failed").register(registry);
        FunctionCounter.builder("vigil.agent.export.failures", exporter, e -> e.failedRequests.get())
                .description("Failed export requests to the collector").register(registry);
    }

    /** Exports what is queued and stops, waiting at most {@code timeout} whatever the collector does. */
    public void shutdown(Duration timeout, ThreadFactory threads) {
        Bounded.run(() -> processor.shutdown().join(timeout.toMillis(), TimeUnit.MILLISECONDS), timeout, threads);
    }
}
