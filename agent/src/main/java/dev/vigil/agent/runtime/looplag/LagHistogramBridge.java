package dev.vigil.agent.runtime.looplag;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;
import org.HdrHistogram.Recorder;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Moves the lag of one source from an HdrHistogram {@link Recorder} (writers never wait; values in nanoseconds,
 * already corrected for coordinated omission by the writer) into Micrometer, once per report interval:
 * <ul>
 *   <li>{@code vigil.eventloop.lag{source}}: a cumulative histogram in seconds with fixed buckets (1 ms to 10 s),
 *       fed with every value of the interval histogram, so Prometheus/OTLP get mergeable buckets;</li>
 *   <li>{@code vigil.eventloop.lag.p50/.p99/.max{source}}: gauges, in seconds, of the last interval's exact HdrHistogram
 *       percentiles — graphable without {@code histogram_quantile} and not blurred by bucket boundaries.</li>
 * </ul>
 * Why not a custom meter: a plain Timer keeps every exporter (Prometheus text, OpenMetrics, OTLP conversion) working
 * unchanged; the interval histogram has only a few hundred values per interval, and equal values are iterated once
 * with their count.
 *
 * <p>{@link #record} is safe from any number of threads and never waits; {@link #report()} is called by one thread
 * at a time.
 */
final class LagHistogramBridge {
    static final Duration[] BUCKETS = {Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5),
            Duration.ofMillis(10), Duration.ofMillis(20), Duration.ofMillis(50), Duration.ofMillis(100),
            Duration.ofMillis(200), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2),
            Duration.ofSeconds(5), Duration.ofSeconds(10)};
    /** One hour in nanoseconds, 2 significant digits: the range jHiccup uses. */
    static final long HIGHEST_NANOS = TimeUnit.HOURS.toNanos(1);

    private final Recorder recorder = new Recorder(HIGHEST_NANOS, 2);
    private final Timer timer;
    private Histogram recycled;
    private volatile double p50Seconds = Double.NaN;
    private volatile double p99Seconds = Double.NaN;
    private volatile double maxSeconds = Double.NaN;

    LagHistogramBridge(String source, MeterRegistry registry) {
        this(Tags.of("source", source), registry);
    }

    /** {@code tags} holds {@code source} and, for the per-loop and per-pool sources, {@code group}/{@code thread}. */
    LagHistogramBridge(Tags tags, MeterRegistry registry) {
        timer = Timer.builder("vigil.eventloop.lag")
                .description("Event-loop lag: delay of a task (or a timer wake-up) past its due time")
                .tags(tags)
                .serviceLevelObjectives(BUCKETS)
                .register(registry);
        gauge(registry, "vigil.eventloop.lag.p50", tags, "Median lag over the last report interval", b -> b.p50Seconds);
        gauge(registry, "vigil.eventloop.lag.p99", tags, "99th percentile lag over the last report interval", b -> b.p99Seconds);
        gauge(registry, "vigil.eventloop.lag.max", tags, "Largest lag over the last report interval", b -> b.maxSeconds);
    }

    private void gauge(MeterRegistry registry, String name, Tags tags, String description,
                       java.util.function.ToDoubleFunction<LagHistogramBridge> f) {
        Gauge.builder(name, this, f).description(description).tags(tags).baseUnit("seconds")
                .register(registry);
    }

    /** Records one lag, back-filling the samples a stall of more than {@code expectedIntervalNanos} swallowed. */
    void record(long lagNanos, long expectedIntervalNanos) {
        recorder.recordValueWithExpectedInterval(Math.min(Math.max(0, lagNanos), HIGHEST_NANOS), expectedIntervalNanos);
    }

    /** Records one lag with no back-filling (lags of individual tasks, not of a periodic probe). */
    void record(long lagNanos) {
        recorder.recordValue(Math.min(Math.max(0, lagNanos), HIGHEST_NANOS));
    }

    /** Swaps the recorder's interval histogram and publishes it. */
    void report() {
        Histogram interval = recorder.getIntervalHistogram(recycled);
        recycled = interval;
        if (interval.getTotalCount() == 0) {
            return; // keep the last percentiles rather than report a gap as zero lag
        }
        for (HistogramIterationValue v : interval.recordedValues()) {
            long nanos = interval.highestEquivalentValue(v.getValueIteratedTo());
            for (long i = v.getCountAtValueIteratedTo(); i > 0; i--) {
                timer.record(nanos, TimeUnit.NANOSECONDS);
            }
        }
        p50Seconds = interval.getValueAtPercentile(50) / 1e9;
        p99Seconds = interval.getValueAtPercentile(99) / 1e9;
        maxSeconds = interval.getMaxValue() / 1e9;
    }
}
