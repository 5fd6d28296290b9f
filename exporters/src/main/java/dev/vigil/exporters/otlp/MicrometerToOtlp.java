package dev.vigil.exporters.otlp;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.internal.data.ImmutableDoublePointData;
import io.opentelemetry.sdk.metrics.internal.data.ImmutableGaugeData;
import io.opentelemetry.sdk.metrics.internal.data.ImmutableHistogramData;
import io.opentelemetry.sdk.metrics.internal.data.ImmutableHistogramPointData;
import io.opentelemetry.sdk.metrics.internal.data.ImmutableMetricData;
import io.opentelemetry.sdk.metrics.internal.data.ImmutableSumData;
import io.opentelemetry.sdk.resources.Resource;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Converts Micrometer meters (cumulative, as kept for the Prometheus endpoint) into OTLP metric data with the
 * meters' own dotted OpenTelemetry names: counters become monotonic sums, gauges gauges, timers and distribution
 * summaries explicit-bucket histograms (timers in seconds). Empty tag values are left out.
 */
final class MicrometerToOtlp {
    private static final InstrumentationScopeInfo SCOPE = InstrumentationScopeInfo.create("dev.vigil.agent");
    private final Resource resource;
    private final long startEpochNanos;

    MicrometerToOtlp(Resource resource, long startEpochNanos) {
        this.resource = resource;
        this.startEpochNanos = startEpochNanos;
    }

    List<MetricData> convert(Collection<Meter> meters, long nowEpochNanos) {
        List<MetricData> out = new ArrayList<>(meters.size());
        for (Meter meter : meters) {
            MetricData data = convert(meter, nowEpochNanos);
            if (data != null) {
                out.add(data);
            }
        }
        return out;
    }

    private MetricData convert(Meter meter, long now) {
        Meter.Id id = meter.getId();
        Attributes attributes = attributes(id.getTags());
        String description = id.getDescription() == null ? "" : id.getDescription();
        String unit = id.getBaseUnit() == null ? "" : id.getBaseUnit();
        if (meter instanceof Counter) {
            return sum(id.getName(), description, unit, attributes, ((Counter) meter).count(), now);
        }
        if (meter instanceof FunctionCounter) {
            return sum(id.getName(), description, unit, attributes, ((FunctionCounter) meter).count(), now);
        }
        if (meter instanceof TimeGauge) {
            return gauge(id.getName(), description, "s", attributes, ((TimeGauge) meter).value(TimeUnit.SECONDS), now);
        }
        if (meter instanceof Gauge) {
            double value = ((Gauge) meter).value();
            return Double.isNaN(value) ? null : gauge(id.getName(), description, unit, attributes, value, now);
        }
        if (meter instanceof Timer) {
            return histogram(id.getName(), description, "s", attributes, ((Timer) meter).takeSnapshot(), true, now);
        }
        if (meter instanceof DistributionSummary) {
            return histogram(id.getName(), description, unit, attributes,
                    ((DistributionSummary) meter).takeSnapshot(), false, now);
        }
        if (meter instanceof FunctionTimer) {
            FunctionTimer t = (FunctionTimer) meter;
            return histogram(id.getName(), description, "s", attributes, List.of(), List.of((long) t.count()),
                    t.totalTime(TimeUnit.SECONDS), Double.NaN, now);
        }
        return null; // long task timers and custom meters are scrape-only for now
    }

    private MetricData sum(String name, String description, String unit, Attributes attributes, double value, long now) {
        return ImmutableMetricData.createDoubleSum(resource, SCOPE, name, description, unit,
                ImmutableSumData.create(true, AggregationTemporality.CUMULATIVE,
                        List.of(ImmutableDoublePointData.create(startEpochNanos, now, attributes, value))));
    }

    private MetricData gauge(String name, String description, String unit, Attributes attributes, double value, long now) {
        return ImmutableMetricData.createDoubleGauge(resource, SCOPE, name, description, unit,
                ImmutableGaugeData.create(List.of(ImmutableDoublePointData.create(startEpochNanos, now, attributes, value))));
    }

    private MetricData histogram(String name, String description, String unit, Attributes attributes,
                                 HistogramSnapshot snapshot, boolean seconds, long now) {
        List<Double> bounds = new ArrayList<>();
        List<Long> counts = new ArrayList<>();
        double previous = 0;
        for (CountAtBucket bucket : snapshot.histogramCounts()) {
            // Micrometer's bucket counts are cumulative; OTLP wants the count inside each bucket.
            bounds.add(seconds ? bucket.bucket(TimeUnit.SECONDS) : bucket.bucket());
            counts.add(Math.max(0, Math.round(bucket.count() - previous)));
            previous = bucket.count();
        }
        counts.add(Math.max(0, Math.round(snapshot.count() - previous)));
        double total = seconds ? snapshot.total(TimeUnit.SECONDS) : snapshot.total();
        double max = seconds ? snapshot.max(TimeUnit.SECONDS) : snapshot.max();
        return histogram(name, description, unit, attributes, bounds, counts, total, max, now);
    }

    private MetricData histogram(String name, String description, String unit, Attributes attributes,
                                 List<Double> bounds, List<Long> counts, double total, double max, long now) {
        return ImmutableMetricData.createDoubleHistogram(resource, SCOPE, name, description, unit,
                ImmutableHistogramData.create(AggregationTemporality.CUMULATIVE, List.of(
                        ImmutableHistogramPointData.create(startEpochNanos, now, attributes, total, false, 0,
                                !Double.isNaN(max), Double.isNaN(max) ? 0 : max, bounds, counts))));
    }

    private static Attributes attributes(List<Tag> tags) {
        AttributesBuilder b = Attributes.builder();
        for (Tag tag : tags) {
            if (!tag.getValue().isEmpty()) {
                b.put(tag.getKey(), tag.getValue());
            }
        }
        return b.build();
    }
}
