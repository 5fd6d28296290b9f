package dev.vigil.agent.runtime.looplag;

import dev.vigil.agent.http.CardinalityLimiter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

import java.util.concurrent.ConcurrentHashMap;

/**
 * The lag series of the per-loop and per-pool sources, created on first use and bounded: at most
 * {@value #MAX_GROUPS} groups per source and {@value #MAX_THREADS} Netty loop threads (then {@code other}, sharing
 * one recorder). Tags: {@code source}, {@code group} (the thread name without its numbers, see
 * {@link ThreadGroupName}) and, for Netty, {@code thread} (the loop's thread name).
 *
 * <p>Thread-safe; lookups happen once per loop thread or pool worker, not per task.
 */
final class LagSeries {
    static final int MAX_GROUPS = 32;
    static final int MAX_THREADS = 64;
    private final MeterRegistry registry;
    private final ConcurrentHashMap<String, LagHistogramBridge> bridges = new ConcurrentHashMap<>();
    private final CardinalityLimiter nettyGroups = new CardinalityLimiter(MAX_GROUPS);
    private final CardinalityLimiter nettyThreads = new CardinalityLimiter(MAX_THREADS);
    private final CardinalityLimiter pools = new CardinalityLimiter(MAX_GROUPS);

    LagSeries(MeterRegistry registry) {
        this.registry = registry;
    }

    LagHistogramBridge netty(String threadName) {
        String group = nettyGroups.limit(ThreadGroupName.of(threadName));
        String thread = nettyThreads.limit(threadName == null ? "thread" : threadName);
        return bridges.computeIfAbsent("netty\u0000" + group + '\u0000' + thread, k -> new LagHistogramBridge(
                Tags.of("source", "netty", "group", group, "thread", thread), registry));
    }

    LagHistogramBridge executor(String workerThreadName) {
        String group = pools.limit(ThreadGroupName.of(workerThreadName));
        return bridges.computeIfAbsent("executor\u0000" + group, k -> new LagHistogramBridge(
                Tags.of("source", "executor", "group", group), registry));
    }

    /** Publishes every series' interval histogram; called by one thread. */
    void report() {
        for (LagHistogramBridge bridge : bridges.values()) {
            bridge.report();
        }
    }
}
