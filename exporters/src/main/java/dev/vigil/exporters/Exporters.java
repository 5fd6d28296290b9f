package dev.vigil.exporters;

import dev.vigil.exporters.otlp.HttpTransports;
import dev.vigil.exporters.otlp.OtlpMetrics;
import dev.vigil.exporters.otlp.OtlpTraces;
import dev.vigil.exporters.prometheus.PrometheusEndpoint;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.tracer.common.SpanContext;

import java.util.concurrent.ThreadFactory;
import java.util.function.Consumer;

/**
 * The one interface the agent calls to get its telemetry out: a {@link SpanExporter} for traces and a
 * {@link MeterRegistry} for metrics, each wired to whatever exporters the settings enable.
 *
 * <p>Starting never throws for a bad environment (a port taken, an unreachable collector): the affected exporter
 * is switched off or keeps retrying, {@code warn} receives one line saying so, and the rest carries on.
 */
public final class Exporters implements AutoCloseable {
    /**
     * The one registry: keeps every meter cumulative; the scrape endpoint serves it and the OTLP push reads it. Not
     * behind a composite registry, which would double every meter and cost a lambda and a child look-up per record.
     */
    private final PrometheusMeterRegistry store;
    private final SpanExporter spanExporter;
    private final PrometheusEndpoint prometheus;
    private final OtlpMetrics otlpMetrics;
    private final HttpTransports otlp;

    private Exporters(ExportSettings settings, AgentScheduler scheduler, ThreadFactory threads, Consumer<String> warn,
                      SpanContext exemplars) {
        // Exemplars are only served by the scrape endpoint, and client_java's exemplar sampler starts a thread of
        // its own (prometheus-metrics-scheduler) at the first one: none when the endpoint is off.
        this.store = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT, new PrometheusRegistry(), Clock.SYSTEM,
                settings.prometheusPort() > 0 ? exemplars : null);
        // one set of transports for both OTLP signals; for http:// no thread of its own, completions on the scheduler
        this.otlp = settings.tracesEndpoint() == null && settings.metricsEndpoint() == null ? null
                : new HttpTransports(scheduler);
        this.spanExporter = settings.tracesEndpoint() == null
                ? SpanExporter.composite()
                : OtlpTraces.exporter(settings, otlp);
        this.prometheus = PrometheusEndpoint.start(store, settings.prometheusHost(), settings.prometheusPort(), threads, warn);
        this.otlpMetrics = settings.metricsEndpoint() == null ? null
                : new OtlpMetrics(store, settings.metricsEndpoint(), settings.otlpHeaders(), settings.otlpTimeout(),
                        settings.metricsInterval(), settings.resource(), otlp, scheduler, warn);
    }

    /**
     * @param scheduler the agent's one background thread: metric pushes and export completions run there
     * @param threads   creates the scrape endpoint's thread (the agent marks it so that its own traffic is never
     *                  traced)
     * @param warn      receives one line per problem
     */
    public static Exporters start(ExportSettings settings, AgentScheduler scheduler, ThreadFactory threads,
                                  Consumer<String> warn) {
        return start(settings, scheduler, threads, warn, null);
    }

    /**
     * @param exemplars the current span, for trace-id exemplars on histogram buckets (OpenMetrics); may be null;
     *                  unused when the scrape endpoint is off
     */
    public static Exporters start(ExportSettings settings, AgentScheduler scheduler, ThreadFactory threads,
                                  Consumer<String> warn, SpanContext exemplars) {
        return new Exporters(settings, scheduler, threads, warn, exemplars);
    }

    public SpanExporter spanExporter() {
        return spanExporter;
    }

    /** The registry every meter goes to: every enabled metrics exporter reads it. */
    public MeterRegistry registry() {
        return store;
    }

    /** Port the scrape endpoint listens on, or -1 when it is off. */
    public int prometheusPort() {
        return prometheus == null ? -1 : prometheus.port();
    }

    /** Registers an extra JSON endpoint on the agent's port (e.g. {@code /vigil/leaks}); no-op when it is off. */
    public void addJsonEndpoint(String path, java.util.function.Supplier<String> body) {
        if (prometheus != null) {
            prometheus.addJsonEndpoint(path, body);
        }
    }

    /** Failed OTLP metric pushes so far (0 when the push is off). */
    public long metricPushFailures() {
        return otlpMetrics == null ? 0 : otlpMetrics.failures();
    }

    /** Pushes the last metrics (bounded by {@code timeout}) and closes the endpoint. */
    public void close(java.time.Duration timeout) {
        if (otlpMetrics != null) {
            otlpMetrics.close(timeout);
        }
        close();
    }

    @Override
    public void close() {
        if (prometheus != null) {
            prometheus.close();
        }
        store.close();
        if (otlp != null) {
            otlp.close();
        }
    }
}
