package dev.vigil.agent.runtime.jfr;

import dev.vigil.agent.http.CardinalityLimiter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Records one finished collection, whichever source saw it (the JFR stream or the JMX GC notifications): the
 * {@code jvm.gc.duration} histogram and the post-GC heap used for {@link LiveSetTrend}.
 *
 * <p>{@code jvm.gc.cause} values come from a fixed list inside the JVM; a limiter still caps them at 32.
 */
final class GcRecorder {
    /** Semantic-convention advice for jvm.gc.duration: 10 ms, 100 ms, 1 s, 10 s. */
    private static final Duration[] BUCKETS = {Duration.ofMillis(10), Duration.ofMillis(100), Duration.ofSeconds(1),
            Duration.ofSeconds(10)};

    private final MeterRegistry registry;
    private final LiveSetTrend trend;
    private final CardinalityLimiter causes = new CardinalityLimiter(32);
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();

    GcRecorder(MeterRegistry registry, LiveSetTrend trend) {
        this.registry = registry;
        this.trend = trend;
    }

    void onCollection(String name, String action, String cause, long durationNanos) {
        String limitedCause = causes.limit(cause == null ? "" : cause);
        String key = name + '\u0000' + action + '\u0000' + limitedCause;
        Timer timer = timers.get(key);
        if (timer == null) {
            timer = timers.computeIfAbsent(key, k -> Timer.builder("jvm.gc.duration")
                    .description("Duration of JVM garbage collection actions")
                    .serviceLevelObjectives(BUCKETS)
                    .tag("jvm.gc.name", name)
                    .tag("jvm.gc.action", action)
                    .tag("jvm.gc.cause", limitedCause)
                    .register(registry));
        }
        timer.record(Math.max(0, durationNanos), TimeUnit.NANOSECONDS);
    }

    void onHeapAfterGc(long timeMillis, long usedBytes) {
        trend.onHeapAfterGc(timeMillis, usedBytes);
    }
}
