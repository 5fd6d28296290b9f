package dev.vigil.agent.runtime.looplag;

import dev.vigil.agent.log.AgentLog;
import dev.vigil.exporters.AgentScheduler;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The platform hiccup meter ({@code vigil.eventloop.lag{source=platform}}): a job on the agent's shared scheduler
 * asks to run again after a fixed interval and records how much later than asked it ran. The oversleep is what any
 * thread of the application would have suffered at that moment: GC pauses, other safepoints, CPU starvation, the OS
 * scheduler. It measures the platform, not application code (jHiccup's method).
 *
 * <p>The scheduler's thread also runs the agent's other jobs. A tick that is late because another job held the
 * thread is not platform lag: the running time of the jobs that ran after the tick was due is subtracted from its
 * oversleep ({@link AgentScheduler#busyNanosSince(long)}). A stall of the whole JVM still counts in full: the jobs it
 * delayed run after it, and only their own running time is subtracted.
 *
 * <p>Interval: 100 ms by default (jHiccup uses 1 ms). Each tick wakes a sleeping thread, 0.1 to 0.2 ms of CPU on
 * the project's 2-core virtual machine (measured with the thread's {@code schedstat}), so the meter costs 1 to 2 ms
 * of CPU a second; GC pauses and safepoints have their own exact meters from JFR. Stalls that matter to a service
 * are tens to hundreds of milliseconds: one longer than the interval is always seen (short by at most the
 * interval), a shorter one in proportion to its length, and a long one is back-filled by
 * {@code recordValueWithExpectedInterval} (coordinated-omission correction), so long pauses weigh as much as the
 * samples they swallowed. The same job publishes the histogram every report interval.
 */
public final class PlatformHiccupMeter implements AutoCloseable {
    private final AgentScheduler scheduler;
    private final long intervalNanos;
    private final long reportNanos;
    private volatile boolean running;
    private volatile Future<?> next;
    /** Scheduler thread only. */
    private long dueNanos;
    private long nextReport;
    private LagHistogramBridge bridge;

    public PlatformHiccupMeter(AgentScheduler scheduler, long intervalMillis, long reportMillis) {
        this.scheduler = scheduler;
        this.intervalNanos = TimeUnit.MILLISECONDS.toNanos(intervalMillis);
        this.reportNanos = TimeUnit.MILLISECONDS.toNanos(reportMillis);
    }

    public synchronized PlatformHiccupMeter bindTo(MeterRegistry registry) {
        bridge = new LagHistogramBridge("platform", registry);
        running = true;
        long now = System.nanoTime();
        nextReport = now + reportNanos;
        dueNanos = now + intervalNanos;
        next = scheduler.schedule(this::tick, intervalNanos, TimeUnit.NANOSECONDS);
        return this;
    }

    private void tick() {
        if (!running) {
            return;
        }
        try {
            long now = System.nanoTime();
            record(bridge, now, dueNanos, scheduler.busyNanosSince(dueNanos), intervalNanos);
            if (now - nextReport >= 0) {
                bridge.report();
                nextReport = now + reportNanos;
            }
            long end = System.nanoTime();
            dueNanos = end + intervalNanos;
            next = scheduler.schedule(this::tick, intervalNanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            // the scheduler is shutting down
        } catch (RuntimeException | Error e) {
            AgentLog.warn("platform lag meter stopped (" + e + ")");
        }
    }

    /**
     * Records the oversleep of a tick that ran at {@code now} and was due at {@code due}, less the time the thread
     * spent running other jobs after {@code due} ({@code busyAfterDue}).
     */
    static void record(LagHistogramBridge bridge, long now, long due, long busyAfterDue, long intervalNanos) {
        bridge.record(Math.max(0, now - due - busyAfterDue), intervalNanos);
    }

    @Override
    public synchronized void close() {
        running = false;
        Future<?> f = next;
        if (f != null) {
            f.cancel(false);
        }
    }
}
