package dev.vigil.exporters.otlp;

import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporterBuilder;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.export.MemoryMode;
import io.opentelemetry.sdk.resources.Resource;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Pushes every meter of a registry to an OTLP/HTTP endpoint at a fixed interval (cumulative temporality), as a job
 * on the agent's shared scheduler. The first push comes {@link #FIRST_PUSH_MAX_DELAY} after start when the interval
 * is longer: a service shows up in the backend seconds after it starts rather than a whole interval later, and a
 * JVM that lives less than one interval and is killed without a shutdown push (a crash loop) still gets its
 * metrics out. It also puts the push's one-time costs (loading its classes, compiling its code) near start-up
 * rather than a minute into the service's life. The job converts the meters and starts the request, which completes
 * asynchronously ({@link SharedHttpSender}); a push still in flight when the next one is due makes that one skip.
 * A failing collector is reported once (and once when it recovers); the meters keep counting.
 */
public final class OtlpMetrics implements AutoCloseable {
    /** The longest wait for the first push (see the class comment); later pushes follow every interval. */
    static final Duration FIRST_PUSH_MAX_DELAY = Duration.ofSeconds(10);
    private final MeterRegistry registry;
    private final OtlpHttpMetricExporter exporter;
    private final MicrometerToOtlp converter;
    private final ScheduledFuture<?> schedule;
    private final Consumer<String> warn;
    private final String endpoint;
    private final AtomicLong failures = new AtomicLong();
    private final AtomicBoolean inFlight = new AtomicBoolean();
    private final long timeoutNanos;
    /** Scheduler thread only: when the push in flight started. */
    private long inFlightSince;
    private volatile boolean down;

    public OtlpMetrics(MeterRegistry registry, String endpoint, Map<String, String> headers, Duration timeout,
                       Duration interval, Resource resource, HttpTransports transports, ScheduledExecutorService scheduler,
                       Consumer<String> warn) {
        this.registry = registry;
        this.endpoint = endpoint;
        this.warn = warn;
        this.timeoutNanos = timeout.toNanos();
        this.converter = new MicrometerToOtlp(resource, TimeUnit.MILLISECONDS.toNanos(System.currentTimeMillis()));
        OtlpHttpMetricExporterBuilder builder = OtlpHttpMetricExporter.builder()
                .setEndpoint(endpoint)
                .setTimeout(timeout)
                .setConnectTimeout(timeout)
                .setMemoryMode(MemoryMode.REUSABLE_DATA) // pooled request marshalers, as for spans
                .setComponentLoader(transports.componentLoader());
        headers.forEach(builder::addHeader);
        this.exporter = builder.build();
        this.schedule = scheduler.scheduleWithFixedDelay(this::pushQuietly, firstDelay(interval).toMillis(),
                interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** When the first push is due: after one interval, or {@link #FIRST_PUSH_MAX_DELAY} if that is sooner. */
    static Duration firstDelay(Duration interval) {
        return interval.compareTo(FIRST_PUSH_MAX_DELAY) < 0 ? interval : FIRST_PUSH_MAX_DELAY;
    }

    public long failures() {
        return failures.get();
    }

    /**
     * The periodic job: starts a push unless one is still in flight (and younger than the timeout: a request that
     * never completes must not stop the pushes); never blocks, never throws.
     */
    private void pushQuietly() {
        long now = System.nanoTime();
        if (!inFlight.compareAndSet(false, true) && now - inFlightSince < timeoutNanos) {
            return;
        }
        inFlightSince = now;
        try {
            push().whenComplete(() -> inFlight.set(false));
        } catch (RuntimeException | LinkageError e) {
            inFlight.set(false);
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

    /**
     * Pushes once more and stops, all within {@code timeout} whatever the collector does (the request completes
     * on the scheduler, which must still run; the request itself never outlives the exporter's timeout).
     */
    public void close(Duration timeout) {
        schedule.cancel(false);
        try {
            push().join(Math.max(1, timeout.toMillis()), TimeUnit.MILLISECONDS);
        } catch (RuntimeException | LinkageError e) {
            onResult(false, e);
        }
        exporter.shutdown();
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(2));
    }
}
