package dev.vigil.agent.runtime.looplag;

import dev.vigil.agent.log.AgentLog;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * The platform hiccup meter ({@code vigil.eventloop.lag{source=platform}}): one daemon agent thread sleeps a fixed
 * interval and records how much longer than asked it slept. The oversleep is what any thread of the application
 * would have suffered at that moment: GC pauses, other safepoints, CPU starvation, the OS scheduler. It measures the
 * platform, not application code (jHiccup's method).
 *
 * <p>Interval: 10 ms by default (jHiccup uses 1 ms). Stalls that matter to a service are tens of milliseconds; a
 * 10 ms tick costs a tenth of the wake-ups, and stalls longer than the interval are back-filled by
 * {@code recordValueWithExpectedInterval} (coordinated-omission correction), so long pauses weigh as much as the
 * samples they swallowed. The same thread publishes the histogram every report interval (no second thread).
 */
public final class PlatformHiccupMeter implements AutoCloseable {
    private final ThreadFactory threads;
    private final long intervalNanos;
    private final long reportNanos;
    private volatile boolean running;
    private Thread thread;

    public PlatformHiccupMeter(ThreadFactory threads, long intervalMillis, long reportMillis) {
        this.threads = threads;
        this.intervalNanos = TimeUnit.MILLISECONDS.toNanos(intervalMillis);
        this.reportNanos = TimeUnit.MILLISECONDS.toNanos(reportMillis);
    }

    public synchronized PlatformHiccupMeter bindTo(MeterRegistry registry) {
        LagHistogramBridge bridge = new LagHistogramBridge("platform", registry);
        running = true;
        thread = threads.newThread(() -> measure(bridge));
        thread.setPriority(Thread.NORM_PRIORITY);
        thread.start();
        return this;
    }

    private void measure(LagHistogramBridge bridge) {
        long nextReport = System.nanoTime() + reportNanos;
        try {
            while (running) {
                long start = System.nanoTime();
                TimeUnit.NANOSECONDS.sleep(intervalNanos);
                long end = System.nanoTime();
                bridge.record(end - start - intervalNanos, intervalNanos);
                if (end - nextReport >= 0) {
                    bridge.report();
                    nextReport = end + reportNanos;
                }
            }
        } catch (InterruptedException e) {
            // closed
        } catch (RuntimeException | Error e) {
            AgentLog.warn("platform lag meter stopped (" + e + ")");
        }
    }

    @Override
    public synchronized void close() {
        running = false;
        if (thread != null) {
            thread.interrupt();
            thread = null;
        }
    }
}
