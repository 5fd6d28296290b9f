package dev.vigil.exporters.otlp;

import io.micrometer.core.instrument.MeterRegistry;
import dev.vigil.exporters.Bounded;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporterBuilder;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.resources.Resource;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Pushes every meter of a registry to an OTLP/HTTP endpoint at a fixed interval (cumulative temporality), on one
 * agent thread. A failing collector is reported once (and once when it recovers); the meters keep counting.
 */
public final class OtlpMetrics implements AutoCloseable {
    private final MeterRegistry registry;
    private final OtlpHttpMetricExporter exporter;
    private final MicrometerToOtlp converter;
    private final ScheduledExecutorService scheduler;
    private final ExecutorService sender;
    private final Consumer<String> warn;
    private final String endpoint;
    private final AtomicLong failures = new AtomicLong();
    private final ThreadFactory threads;
    private volatile boolean down;

    public OtlpMetrics(MeterRegistry registry, String endpoint, Map<String, String> headers, Duration timeout,
                       Duration interval, Resource resource, ThreadFactory threads, Consumer<String> warn) {
        this.registry = registry;
        this.endpoint = endpoint;
        this.warn = warn;
        this.threads = threads;
        this.converter = new MicrometerToOtlp(resource, TimeUnit.MILLISECONDS.toNanos(System.currentTimeMillis()));
        this.scheduler = Executors.newSingleThreadScheduledExecutor(threads);
        // requests run on their own thread: the scheduler waits for each push to finish
        this.sender = Executors.newSingleThreadExecutor(threads);
        OtlpHttpMetricExporterBuilder builder = OtlpHttpMetricExporter.builder()
                .setEndpoint(endpoint)
                .setTimeout(timeout)
                .setExecutorService(sender)
                .setServiceClassLoader(OtlpMetrics.class.getClassLoader());
        headers.forEach(builder::addHeader);
        this.exporter = builder.build();
        scheduler.scheduleWithFixedDelay(this::pushQuietly, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    public long failures() {
        return failures.get();
    }

    private void pushQuietly() {
        try {
            push().join(30, TimeUnit.SECONDS);
        } catch (RuntimeException e) {
            onResult(false, e);
        }
    }

    CompletableResultCode push() {
        long now = TimeUnit.MILLISECONDS.toNanos(System.currentTimeMillis());
        CompletableResultCode result = exporter.export(converter.convert(registry.getMeters(), now));
        result.whenComplete(() -> onResult(result.isSuccess(), result.getFailureThrowable()));
        return result;
    }

    private void onResult(boolean success, Throwable cause) {
        if (success) {
            if (down) {
                down = false;
                warn.accept("metric export to " + endpoint + " works again");
            }
        } else {
            failures.incrementAndGet();
            if (!down) {
                down = true;
                warn.accept("metric export to " + endpoint + " failed" + (cause == null ? "" : " (" + cause + ")")
                        + "; retrying every interval, further failures are not logged until it works again");
            }
        }
    }

    /** Pushes once more and stops, all within {@code timeout} whatever the collector does. */
    public void close(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        scheduler.shutdownNow();
        Bounded.run(() -> push().join(timeout.toMillis(), TimeUnit.MILLISECONDS), timeout, threads);
        Bounded.run(exporter::shutdown, Duration.ofNanos(Math.max(0, deadline - System.nanoTime())), threads);
        sender.shutdownNow();
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(2));
    }
}
