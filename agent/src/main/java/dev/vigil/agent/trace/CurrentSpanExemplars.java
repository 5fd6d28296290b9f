package dev.vigil.agent.trace;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;

/**
 * Lets the Prometheus registry attach the current span's trace and span id as an exemplar to latency histogram
 * buckets (served in OpenMetrics format), so a slow bucket in Grafana links to a trace. Only sampled spans are
 * offered: an exemplar must point at a trace the backend has.
 */
public final class CurrentSpanExemplars implements io.prometheus.metrics.tracer.common.SpanContext {
    /** False when no registry samples exemplars (the scrape endpoint is off): set once at start-up. */
    private static volatile boolean sampled = true;

    /** Whether meters recorded from now on may take exemplars (the agent sets it once, at start-up). */
    public static void setSampled(boolean sampledByAnyRegistry) {
        sampled = sampledByAnyRegistry;
    }

    /**
     * Makes {@code span} current around a meter recording, so that the bucket can take it as exemplar; a no-op
     * scope (no thread-local write, no allocation) when no registry samples exemplars.
     */
    public static Scope aroundRecording(Span span) {
        return sampled ? span.makeCurrent() : Scope.noop();
    }

    @Override
    public String getCurrentTraceId() {
        io.opentelemetry.api.trace.SpanContext context = Span.current().getSpanContext();
        return context.isValid() ? context.getTraceId() : null;
    }

    @Override
    public String getCurrentSpanId() {
        io.opentelemetry.api.trace.SpanContext context = Span.current().getSpanContext();
        return context.isValid() ? context.getSpanId() : null;
    }

    @Override
    public boolean isCurrentSpanSampled() {
        return Span.current().getSpanContext().isSampled();
    }

    @Override
    public void markCurrentSpanAsExemplar() {
        // the span is exported whenever it is sampled; nothing to mark
    }
}
