package dev.vigil.agent.runtime.looplag;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.ref.WeakReference;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The probe of one Netty event loop: a no-op task the loop runs every {@code interval}, scheduled through the
 * {@link ScheduledExecutorService} interface every Netty event loop implements (no Netty type is needed). Each run
 * records how late it ran (due time to run time: the time the loop spent on other work, blocked or busy) and
 * re-arms itself from inside the loop, which costs Netty one scheduled-task insertion and no wake-up. Lateness is
 * recorded with coordinated-omission correction at the probe interval: a loop blocked for 500 ms also accounts for
 * the probes it could not run meanwhile.
 *
 * <p>Never keeps a loop alive or delays its shutdown: the loop and its thread are held weakly (the loop's own
 * scheduled queue is what holds the probe), the probe stops re-arming once the loop is shutting down (Netty's
 * {@code isShuttingDown()}, looked up once per class) or refuses the task, and Netty cancels scheduled tasks
 * when its shutdown begins.
 *
 * <p>{@link #run} runs on the loop's thread; {@link #overdueNanos} and {@link #thread} are read by the checker.
 */
final class NettyLoopProbe implements Runnable {
    private static final ClassValue<MethodHandle> SHUTTING_DOWN = new ClassValue<>() {
        @Override
        protected MethodHandle computeValue(Class<?> type) {
            // the first public class up the hierarchy (a loop class may be package-private; the method is public)
            for (Class<?> c = type; c != null; c = c.getSuperclass()) {
                try {
                    return MethodHandles.publicLookup().findVirtual(c, "isShuttingDown", MethodType.methodType(boolean.class));
                } catch (ReflectiveOperationException | RuntimeException e) {
                    // try the super class
                }
            }
            return null; // not a Netty executor: isShutdown() only
        }
    };

    private final WeakReference<ScheduledExecutorService> loop;
    private final long intervalNanos;
    private final Function<String, LagHistogramBridge> series;
    private volatile WeakReference<Thread> thread;
    private volatile long dueNanos;
    private volatile boolean pending;
    private volatile boolean done;
    private LagHistogramBridge bridge; // loop thread only
    private long reportedDueNanos;     // checker thread only

    NettyLoopProbe(ScheduledExecutorService loop, long intervalNanos, Function<String, LagHistogramBridge> series) {
        this.loop = new WeakReference<>(loop);
        this.intervalNanos = intervalNanos;
        this.series = series;
    }

    /** Schedules the next run; marks the probe done when the loop is gone, shutting down or refuses it. */
    void arm(long nowNanos) {
        ScheduledExecutorService l = loop.get();
        if (l == null || shuttingDown(l)) {
            done = true;
            return;
        }
        dueNanos = nowNanos + intervalNanos;
        pending = true;
        try {
            l.schedule(this, intervalNanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            pending = false;
            done = true;
        }
    }

    @Override
    public void run() {
        long now = System.nanoTime();
        pending = false;
        if (bridge == null) {
            Thread current = Thread.currentThread();
            thread = new WeakReference<>(current);
            bridge = series.apply(current.getName());
        }
        bridge.record(now - dueNanos, intervalNanos);
        if (!done) {
            arm(now);
        }
    }

    /** How long the armed probe has been waiting past its due time, or 0 when it is not late. */
    long overdueNanos(long nowNanos) {
        if (!pending) {
            return 0;
        }
        return Math.max(0, nowNanos - dueNanos);
    }

    /** True the first time a given stall (one armed probe) is asked about; false after that. Checker thread only. */
    boolean firstReportOfThisStall() {
        long due = dueNanos;
        if (due == reportedDueNanos) {
            return false;
        }
        reportedDueNanos = due;
        return true;
    }

    /** The loop's thread once the probe has run there, else null. */
    Thread thread() {
        WeakReference<Thread> t = thread;
        return t == null ? null : t.get();
    }

    /** The loop was collected, shut down or refused the probe: drop it. */
    boolean done() {
        if (done) {
            return true;
        }
        ScheduledExecutorService l = loop.get();
        if (l == null || l.isTerminated()) {
            done = true;
        }
        return done;
    }

    /** Stops re-arming; a probe already queued runs once more and stops. */
    void cancel() {
        done = true;
    }

    private static boolean shuttingDown(ScheduledExecutorService loop) {
        if (loop.isShutdown()) {
            return true;
        }
        MethodHandle handle = SHUTTING_DOWN.get(loop.getClass());
        if (handle == null) {
            return false;
        }
        try {
            return (boolean) handle.invoke(loop);
        } catch (Throwable e) {
            return false;
        }
    }
}
