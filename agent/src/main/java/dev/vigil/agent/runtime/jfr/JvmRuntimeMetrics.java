package dev.vigil.agent.runtime.jfr;

import dev.vigil.agent.log.AgentLog;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.concurrent.ThreadFactory;

/**
 * JVM runtime meters, fed by one JFR {@code RecordingStream} (see {@link JfrEventStream}); when JFR is missing or
 * fails, one warning and the JMX equivalents (GC notifications, MXBeans) where they exist.
 *
 * <p>Exported (Prometheus names in brackets):
 * <pre>
 * jvm.gc.duration{jvm.gc.name,jvm.gc.action,jvm.gc.cause}  histogram, s  [jvm_gc_duration_seconds_bucket/_count/_sum/_max]
 * jvm.memory.used_after_last_gc{jvm.memory.pool.name,jvm.memory.type}  gauge, bytes  [jvm_memory_used_after_last_gc_bytes]
 * vigil.heap.live.growth  gauge, bytes/s  [vigil_heap_live_growth_bytes_per_second]
 * vigil.memory.allocated  counter, bytes (JFR only)  [vigil_memory_allocated_bytes_total]
 * vigil.safepoint.duration  histogram, s (JFR only)  [vigil_safepoint_duration_seconds_bucket/...]
 * jvm.cpu.recent_utilization, jvm.system.cpu.utilization  gauges, 0..1  [jvm_cpu_recent_utilization, ...]
 * jvm.thread.count{jvm.thread.daemon}, jvm.class.count  gauges; jvm.class.loaded, jvm.class.unloaded  counters
 * </pre>
 *
 * <p>{@code jvm.memory.used_after_last_gc} always comes from {@link MemoryPoolMXBean#getCollectionUsage()}: it is
 * per pool as the semantic conventions ask (JFR's {@code jdk.GCHeapSummary} has only the whole heap), the JVM keeps
 * it up to date for free, and it is read only at scrape time. The whole-heap "After GC" JFR values feed
 * {@code vigil.heap.live.growth} (see {@link LiveSetTrend}).
 */
public final class JvmRuntimeMetrics implements AutoCloseable {
    private final ThreadFactory threads;
    private final long growthWindowMillis;
    private final long growthWarmupMillis;
    private final boolean tryJfr;
    private volatile RuntimeReadings readings = new JmxReadings();
    private volatile LiveSetTrend trend;
    private JfrEventStream jfr;
    private JmxGcNotifications jmx;

    public JvmRuntimeMetrics(ThreadFactory threads, long growthWindowMillis, long growthWarmupMillis) {
        this(threads, growthWindowMillis, growthWarmupMillis, true);
    }

    /** For tests: {@code tryJfr=false} exercises the JMX fallback. */
    JvmRuntimeMetrics(ThreadFactory threads, long growthWindowMillis, long growthWarmupMillis, boolean tryJfr) {
        this.threads = threads;
        this.growthWindowMillis = growthWindowMillis;
        this.growthWarmupMillis = growthWarmupMillis;
        this.tryJfr = tryJfr;
    }

    public synchronized JvmRuntimeMetrics bindTo(MeterRegistry registry) {
        LiveSetTrend liveSet = new LiveSetTrend(ManagementFactory.getRuntimeMXBean().getStartTime(),
                growthWindowMillis, growthWarmupMillis);
        trend = liveSet;
        GcRecorder gc = new GcRecorder(registry, liveSet);
        bindPools(registry);
        Gauge.builder("vigil.heap.live.growth", liveSet, t -> t.bytesPerSecond(System.currentTimeMillis()))
                .description("Growth of the live heap: least-squares slope of post-GC heap floors over a sliding window (NaN until enough collections)")
                .baseUnit("bytes.per.second").register(registry);
        bindReadings(registry);
        if (tryJfr) {
            try {
                JfrEventStream stream = new JfrEventStream(gc, e -> AgentLog.warnOnce("jfr-event:" + e.getClass().getName(),
                        "JFR runtime event handling failed (" + e + ")"));
                stream.bindTo(registry);
                jfr = stream;
                readings = stream;
                threads.newThread(() -> runStream(stream, gc)).start();
                return this;
            } catch (RuntimeException | LinkageError e) {
                AgentLog.warn("JFR unavailable (" + e + "); runtime metrics from JMX: no allocation or safepoint meters");
            }
        }
        jmx = JmxGcNotifications.start(gc);
        return this;
    }

    private void runStream(JfrEventStream stream, GcRecorder gc) {
        try {
            stream.run();
        } catch (RuntimeException e) {
            synchronized (this) {
                if (jfr != stream) {
                    return; // closed
                }
                AgentLog.warn("JFR stream failed (" + e + "); runtime metrics from JMX from now on");
                readings = new JmxReadings();
                jmx = JmxGcNotifications.start(gc);
            }
        }
    }

    private static void bindPools(MeterRegistry registry) {
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getCollectionUsage() == null) {
                continue; // not a collected pool (code cache, metaspace)
            }
            Gauge.builder("jvm.memory.used_after_last_gc", pool, p -> {
                        MemoryUsage usage = p.getCollectionUsage();
                        return usage == null ? Double.NaN : usage.getUsed();
                    })
                    .description("Memory used, as measured after the most recent garbage collection event on this pool")
                    .baseUnit("bytes")
                    .tag("jvm.memory.pool.name", pool.getName())
                    .tag("jvm.memory.type", pool.getType() == MemoryType.HEAP ? "heap" : "non_heap")
                    .register(registry);
        }
    }

    private void bindReadings(MeterRegistry registry) {
        Gauge.builder("jvm.cpu.recent_utilization", this, m -> m.readings.processCpu())
                .description("Recent CPU utilization for the process as reported by the JVM (0 to 1, all cores)")
                .register(registry);
        Gauge.builder("jvm.system.cpu.utilization", this, m -> m.readings.systemCpu())
                .description("Recent CPU utilization for the whole machine as reported by the JVM (0 to 1)")
                .register(registry);
        Gauge.builder("jvm.thread.count", this, m -> m.readings.daemonThreads())
                .description("Number of executing platform threads").tag("jvm.thread.daemon", "true")
                .register(registry);
        Gauge.builder("jvm.thread.count", this, m -> m.readings.threads() - m.readings.daemonThreads())
                .description("Number of executing platform threads").tag("jvm.thread.daemon", "false")
                .register(registry);
        Gauge.builder("jvm.class.count", this, m -> m.readings.classesLoadedTotal() - m.readings.classesUnloadedTotal())
                .description("Number of classes currently loaded").register(registry);
        FunctionCounter.builder("jvm.class.loaded", this, m -> m.readings.classesLoadedTotal())
                .description("Number of classes loaded since JVM start").register(registry);
        FunctionCounter.builder("jvm.class.unloaded", this, m -> m.readings.classesUnloadedTotal())
                .description("Number of classes unloaded since JVM start").register(registry);
    }

    /** Whether the JFR stream feeds the meters (false: JMX fallback). */
    public synchronized boolean usingJfr() {
        return jfr != null && jmx == null;
    }

    @Override
    public synchronized void close() {
        if (jfr != null) {
            JfrEventStream stream = jfr;
            jfr = null;
            stream.close();
        }
        if (jmx != null) {
            jmx.close();
            jmx = null;
        }
    }
}
