package dev.vigil.agent.trace;

import io.opentelemetry.sdk.common.export.MemoryMode;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.CollectionRegistration;
import io.opentelemetry.sdk.metrics.export.MetricReader;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.common.CompletableResultCode;

/**
 * Reads the OpenTelemetry SDK's own instrumentation (the batch span processor's
 * {@code otel.sdk.processor.span.processed} counter, with {@code error.type=queue_full} for drops) on demand, so
 * that the agent can expose it as Micrometer meters. Nothing is collected unless a scrape asks.
 */
final class SdkSelfTelemetry implements MetricReader {
    private volatile CollectionRegistration registration = CollectionRegistration.noop();
    final SdkMeterProvider meterProvider = SdkMeterProvider.builder().registerMetricReader(this).build();

    @Override
    public void register(CollectionRegistration registration) {
        this.registration = registration;
    }

    /** Sum of the points of {@code metric} whose {@code error.type} attribute equals {@code errorType}. */
    long sum(String metric, String errorType) {
        long total = 0;
        for (MetricData data : registration.collectAllMetrics()) {
            if (!data.getName().equals(metric)) {
                continue;
            }
            for (LongPointData point : data.getLongSumData().getPoints()) {
                Object type = point.getAttributes().get(io.opentelemetry.api.common.AttributeKey.stringKey("error.type"));
                if (errorType == null ? type == null : errorType.equals(type)) {
                    total += point.getValue();
                }
            }
        }
        return total;
    }

    @Override
    public AggregationTemporality getAggregationTemporality(InstrumentType instrumentType) {
        return AggregationTemporality.CUMULATIVE;
    }

    @Override
    public MemoryMode getMemoryMode() {
        return MemoryMode.IMMUTABLE_DATA;
    }

    @Override
    public CompletableResultCode forceFlush() {
        return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
        return CompletableResultCode.ofSuccess();
    }
}
