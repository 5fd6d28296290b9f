package dev.vigil.agent.runtime.looplag;

import dev.vigil.agent.http.CardinalityLimiter;
import dev.vigil.agent.log.AgentLog;
import dev.vigil.agent.util.WeakIdentityMap;
import dev.vigil.bridge.LoopLagHook;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The per-loop lag sources and blocked-thread detection, behind the {@link LoopLagHook} the advice calls:
 * <ul>
 *   <li>{@code netty}: a {@link NettyLoopProbe} on every Netty event loop that starts its thread;</li>
 *   <li>{@code executor}: {@link ExecutorQueueWait} for the JDK's thread pools (its own switch: it costs something
 *       per task);</li>
 *   <li>blocked loops and requests: one agent thread (the checker) wakes every {@link #checkPeriodMillis} — half
 *       the smallest threshold, at most 1 s (Vert.x's {@code BlockedThreadChecker} period) — and reports, once per
 *       stall, a Netty loop whose armed probe is overdue by more than {@code looplag.blocked.threshold.ms} (the loop
 *       has run none of its tasks for that long: stuck in one task or handler, or flooded) and a request thread
 *       serving one HTTP request for longer than {@code looplag.blocked.request.threshold.ms}. A report is one
 *       warning with the thread's current stack ({@code Thread.getStackTrace}, taken on the checker thread) and
 *       one increment of {@code vigil.eventloop.blocked{source,group}}.</li>
 * </ul>
 * The checker (a job on the agent's shared scheduler) also publishes the lag series every report interval. Thread-safe; hook methods never throw.
 */
public final class LoopLagMonitor extends LoopLagHook implements AutoCloseable {
    /** At most this many loops are probed; beyond, new loops are ignored (one warning). */
    static final int MAX_PROBES = 1024;
    static final int MAX_STACK_FRAMES = 64;

    /** What to run; thresholds of 0 switch that detection off. */
    public record Settings(boolean netty, long nettyIntervalMillis, long loopThresholdMillis,
                           long requestThresholdMillis, boolean executor, long reportMillis) {
    }

    private final Settings settings;
    private final MeterRegistry registry;
    private final LagSeries series;
    private final long nettyIntervalNanos;
    private final long loopThresholdNanos;
    private final long requestThresholdNanos;
    private final RequestWatch requests;
    private final ExecutorQueueWait queueWait;
    private final WeakIdentityMap<NettyLoopProbe> loops = new WeakIdentityMap<>();
    private final Set<NettyLoopProbe> probes = ConcurrentHashMap.newKeySet();
    private final ConcurrentHashMap<String, Counter> blocked = new ConcurrentHashMap<>();
    private final CardinalityLimiter blockedGroups = new CardinalityLimiter(LagSeries.MAX_GROUPS);
    private final ScheduledFuture<?> checker;
    private volatile boolean running = true;
    /** Checker only. */
    private long nextReport;

    /** @param scheduler the agent's shared scheduler, where the checker runs; {@link #close} cancels it only */
    public LoopLagMonitor(ScheduledExecutorService scheduler, Settings settings, MeterRegistry registry) {
        this.settings = settings;
        this.registry = registry;
        this.series = new LagSeries(registry);
        this.nettyIntervalNanos = TimeUnit.MILLISECONDS.toNanos(settings.nettyIntervalMillis());
        this.loopThresholdNanos = TimeUnit.MILLISECONDS.toNanos(settings.loopThresholdMillis());
        this.requestThresholdNanos = TimeUnit.MILLISECONDS.toNanos(settings.requestThresholdMillis());
        this.requests = new RequestWatch(settings.requestThresholdMillis() > 0);
        this.queueWait = settings.executor() ? new ExecutorQueueWait(series::executor) : null;
        long periodMillis = checkPeriodMillis();
        this.nextReport = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(settings.reportMillis());
        this.checker = scheduler.scheduleWithFixedDelay(this::checkOnce, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
    }

    /** What the HTTP server telemetry tells when a request starts and ends on a thread. */
    public RequestWatch requests() {
        return requests;
    }

    long checkPeriodMillis() {
        long period = 1000;
        if (settings.netty() && settings.loopThresholdMillis() > 0) {
            period = Math.min(period, settings.loopThresholdMillis() / 2);
        }
        if (settings.requestThresholdMillis() > 0) {
            period = Math.min(period, settings.requestThresholdMillis() / 2);
        }
        return Math.max(10, Math.min(period, settings.reportMillis()));
    }

    @Override
    public void eventLoopStarted(Object executor) {
        try {
            if (!settings.netty() || !running || !(executor instanceof ScheduledExecutorService)) {
                return;
            }
            NettyLoopProbe known = loops.get(executor);
            if (known != null && !known.done()) {
                return; // a Netty 4.2 loop resuming after suspension keeps its probe
            }
            if (probes.size() >= MAX_PROBES) {
                AgentLog.warnOnce("looplag.netty.max", MAX_PROBES + " Netty event loops are probed already; further loops are not");
                return;
            }
            NettyLoopProbe probe = new NettyLoopProbe((ScheduledExecutorService) executor, nettyIntervalNanos, series::netty);
            loops.put(executor, probe);
            probes.add(probe);
            probe.arm(System.nanoTime());
        } catch (Throwable e) {
            dev.vigil.bridge.AdviceErrors.record(e);
        }
    }

    @Override
    public void taskSubmitted(Object task) {
        if (queueWait != null) {
            try {
                queueWait.submitted(task);
            } catch (Throwable e) {
                dev.vigil.bridge.AdviceErrors.record(e);
            }
        }
    }

    @Override
    public void taskStarted(Object task) {
        if (queueWait != null) {
            try {
                queueWait.started(task);
            } catch (Throwable e) {
                dev.vigil.bridge.AdviceErrors.record(e);
            }
        }
    }

    private void checkOnce() {
        try {
            long now = System.nanoTime();
            check(now);
            if (now - nextReport >= 0) {
                series.report();
                nextReport = now + TimeUnit.MILLISECONDS.toNanos(settings.reportMillis());
            }
        } catch (RuntimeException | Error e) {
            AgentLog.warnOnce("looplag.checker", "event-loop lag checker: " + e + " (it keeps running)");
        }
    }

    /** One pass of the checker: drops finished probes, reports new stalls. Checker thread only. */
    void check(long now) {
        for (NettyLoopProbe probe : probes) {
            if (probe.done()) {
                probes.remove(probe);
            } else if (loopThresholdNanos > 0) {
                long overdue = probe.overdueNanos(now);
                if (overdue > loopThresholdNanos && probe.firstReportOfThisStall()) {
                    report("netty", "Netty event loop", probe.thread(), overdue, loopThresholdNanos,
                            "has run none of its tasks");
                }
            }
        }
        if (requestThresholdNanos > 0) {
            requests.forEachBusy(slot -> {
                long start = slot.startNanos;
                if (start != RequestWatch.IDLE && now - start > requestThresholdNanos && slot.firstReportOf(start)) {
                    report("request", "request", slot.thread.get(), now - start, requestThresholdNanos,
                            "has been serving one HTTP request");
                }
            });
        }
    }

    private void report(String source, String what, Thread thread, long stalledNanos, long thresholdNanos, String doing) {
        String name = thread == null ? null : thread.getName();
        String group = blockedGroups.limit(ThreadGroupName.of(name));
        blocked.computeIfAbsent(source + '\u0000' + group, k -> Counter.builder("vigil.eventloop.blocked")
                .description("Event-loop or request threads found stuck past their threshold, once per stall")
                .tag("source", source).tag("group", group)
                .register(registry)).increment();
        StringBuilder message = new StringBuilder(256).append(what).append(" thread '")
                .append(name == null ? "(not known yet)" : name).append("' ").append(doing).append(" for ")
                .append(TimeUnit.NANOSECONDS.toMillis(stalledNanos)).append(" ms (threshold ")
                .append(TimeUnit.NANOSECONDS.toMillis(thresholdNanos))
                .append(" ms; reported once per stall, counted in vigil_eventloop_blocked_total)");
        if (thread != null) {
            message.append("; it is running:");
            StackTraceElement[] stack = thread.getStackTrace();
            for (int i = 0; i < stack.length && i < MAX_STACK_FRAMES; i++) {
                message.append("\n\tat ").append(stack[i]);
            }
            if (stack.length > MAX_STACK_FRAMES) {
                message.append("\n\t... ").append(stack.length - MAX_STACK_FRAMES).append(" more");
            }
        }
        AgentLog.warn(message.toString());
    }

    /** Loops currently probed. */
    int probedLoops() {
        return probes.size();
    }

    ExecutorQueueWait queueWait() {
        return queueWait;
    }

    /** Publishes the lag series now (tests). */
    void reportNow() {
        series.report();
    }

    @Override
    public void close() {
        running = false;
        checker.cancel(false);
        for (NettyLoopProbe probe : probes) {
            probe.cancel();
        }
    }
}
