package dev.vigil.testing;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;

import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Keeps every span exported to it, for unit tests that drive a telemetry class with the SDK's tracer. */
public final class CollectingSpanExporter implements SpanExporter {
    public final List<SpanData> spans = new CopyOnWriteArrayList<>();

    /** A tracer provider that exports each span to this exporter as it ends. */
    public SdkTracerProvider provider() {
        return SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(this)).build();
    }

    @Override
    public CompletableResultCode export(Collection<SpanData> batch) {
        spans.addAll(batch);
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
