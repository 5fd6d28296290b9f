package dev.vigil.agent.runtime.jfr;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jdk.jfr.FlightRecorder;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingStream;

import java.lang.management.ClassLoadingMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * One JFR {@link RecordingStream} with only the events the runtime meters need. Only this class touches
 * {@code jdk.jfr}, so a JVM without the module never loads it.
 *
 * <p>Events: {@code jdk.GarbageCollection}, {@code jdk.GCHeapSummary} (the "After GC" ones feed the live-set trend),
 * {@code jdk.ObjectAllocationSample} (throttled to 150/s, without stack traces; the sum of {@code weight} estimates bytes
 * allocated — the per-TLAB events are never enabled), {@code jdk.SafepointBegin}/{@code jdk.SafepointEnd} (paired by
 * {@code safepointId}), {@code jdk.CPULoad} (1 s), {@code jdk.JavaThreadStatistics} and
 * {@code jdk.ClassLoadingStatistics} (5 s). Every handler copies primitives out of the event at once, so events are
 * never kept and the stream's event reuse stays on.
 *
 * <p>Handlers run on the one thread that calls {@link #run()}; the fields they write are read by scrapes.
 */
final class JfrEventStream implements RuntimeReadings, AutoCloseable {
    private static final Duration[] SAFEPOINT_BUCKETS = {Duration.ofMillis(1), Duration.ofMillis(10),
            Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofSeconds(10)};

    private final RecordingStream stream;
    private final GcRecorder gc;
    private final LongAdder allocatedBytes = new LongAdder();
    /** safepointId -> start, of safepoints begun and not yet ended; bounded, touched only by the stream thread. */
    private final Map<Long, Instant> openSafepoints = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Instant> eldest) {
            return size() > 64;
        }
    };
    private Timer safepoints;
    private volatile double processCpu = Double.NaN;
    private volatile double systemCpu = Double.NaN;
    private volatile double threads;
    private volatile double daemonThreads;
    private volatile double classesLoaded;
    private volatile double classesUnloaded;

    /** @throws RuntimeException or LinkageError when JFR is missing or cannot record */
    JfrEventStream(GcRecorder gc, Consumer<Throwable> onError) {
        if (!FlightRecorder.isAvailable()) {
            throw new IllegalStateException("JFR is not available in this JVM");
        }
        this.gc = gc;
        // start from the JMX values so that counters do not jump from 0 when the first periodic event arrives
        ThreadMXBean threadBean = ManagementFactory.getThreadMXBean();
        ClassLoadingMXBean classBean = ManagementFactory.getClassLoadingMXBean();
        threads = threadBean.getThreadCount();
        daemonThreads = threadBean.getDaemonThreadCount();
        classesLoaded = classBean.getTotalLoadedClassCount();
        classesUnloaded = classBean.getUnloadedClassCount();

        stream = new RecordingStream();
        try {
            configure(onError);
        } catch (RuntimeException e) {
            stream.close();
            throw e;
        }
    }

    private void configure(Consumer<Throwable> onError) {
        stream.setMaxAge(Duration.ofMinutes(1));
        stream.enable("jdk.GarbageCollection").withoutThreshold();
        stream.enable("jdk.GCHeapSummary");
        // only the weight is read: no stack trace (the JVM would walk the allocating thread's stack for every sample
        // and the stream would parse the stacks' constant pools)
        stream.enable("jdk.ObjectAllocationSample").with("throttle", "150/s").withoutStackTrace();
        stream.enable("jdk.SafepointBegin").withoutThreshold();
        stream.enable("jdk.SafepointEnd").withoutThreshold();
        stream.enable("jdk.CPULoad").withPeriod(Duration.ofSeconds(1));
        stream.enable("jdk.JavaThreadStatistics").withPeriod(Duration.ofSeconds(5));
        stream.enable("jdk.ClassLoadingStatistics").withPeriod(Duration.ofSeconds(5));
        on("jdk.GarbageCollection", onError, this::onGarbageCollection);
        on("jdk.GCHeapSummary", onError, this::onHeapSummary);
        on("jdk.ObjectAllocationSample", onError, e -> allocatedBytes.add(e.getLong("weight")));
        on("jdk.SafepointBegin", onError, e -> openSafepoints.put(e.getLong("safepointId"), e.getStartTime()));
        on("jdk.SafepointEnd", onError, this::onSafepointEnd);
        on("jdk.CPULoad", onError, e -> {
            processCpu = e.getFloat("jvmUser") + e.getFloat("jvmSystem");
            systemCpu = e.getFloat("machineTotal");
        });
        on("jdk.JavaThreadStatistics", onError, e -> {
            threads = e.getLong("activeCount");
            daemonThreads = e.getLong("daemonCount");
        });
        on("jdk.ClassLoadingStatistics", onError, e -> {
            classesLoaded = e.getLong("loadedClassCount");
            classesUnloaded = e.getLong("unloadedClassCount");
        });
        stream.onError(onError);
    }

    /** Registers the meters only JFR can feed: allocation and safepoints. */
    void bindTo(MeterRegistry registry) {
        FunctionCounter.builder("vigil.memory.allocated", allocatedBytes, LongAdder::sum)
                .description("Bytes allocated on the Java heap, estimated from JFR allocation samples")
                .baseUnit("bytes").register(registry);
        safepoints = Timer.builder("vigil.safepoint.duration")
                .description("Time the JVM spent in safepoints (application threads stopped), from begin to end")
                .serviceLevelObjectives(SAFEPOINT_BUCKETS)
                .register(registry);
    }

    /** Consumes events until {@link #close()}; blocks, so it runs on an agent thread. */
    void run() {
        stream.start();
    }

    private void on(String event, Consumer<Throwable> onError, Consumer<RecordedEvent> handler) {
        stream.onEvent(event, e -> {
            try {
                handler.accept(e);
            } catch (RuntimeException ex) {
                onError.accept(ex);
            }
        });
    }

    private void onGarbageCollection(RecordedEvent e) {
        String name = e.getString("name");
        gc.onCollection(name, GcNames.action(name), e.getString("cause"), e.getDuration().toNanos());
    }

    private void onHeapSummary(RecordedEvent e) {
        if ("After GC".equals(e.getString("when"))) {
            gc.onHeapAfterGc(e.getStartTime().toEpochMilli(), e.getLong("heapUsed"));
        }
    }

    private void onSafepointEnd(RecordedEvent e) {
        Instant begin = openSafepoints.remove(e.getLong("safepointId"));
        Timer timer = safepoints;
        if (begin != null && timer != null) {
            long nanos = Duration.between(begin, e.getEndTime()).toNanos();
            timer.record(Math.max(0, nanos), TimeUnit.NANOSECONDS);
        }
    }

    @Override
    public double processCpu() {
        return processCpu;
    }

    @Override
    public double systemCpu() {
        return systemCpu;
    }

    @Override
    public double threads() {
        return threads;
    }

    @Override
    public double daemonThreads() {
        return daemonThreads;
    }

    @Override
    public double classesLoadedTotal() {
        return classesLoaded;
    }

    @Override
    public double classesUnloadedTotal() {
        return classesUnloaded;
    }

    @Override
    public void close() {
        stream.close();
    }
}
