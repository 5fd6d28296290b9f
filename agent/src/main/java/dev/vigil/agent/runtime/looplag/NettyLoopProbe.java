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
 * <p><b>Idle loops.</b> A loop with no channel registered (Netty's {@code registeredChannels()} is 0: an
 * application's spare loops, a client group between connections) is probed {@link #IDLE_FACTOR} times less often:
 * each probe of an idle loop is a wake-up of a thread that would otherwise sleep, which costs tens of
 * microseconds of CPU on a virtual machine, and there is no I/O on it whose latency the lag would describe. Tasks
 * the application runs on such a loop are still probed (coarsely), and a blocked one is still reported.
 *
 * <p><b>Quiet loops.</b> A loop whose last {@link #QUIET_RUNS} probes each ran within {@link #QUIET_LAG_NANOS} of
 * their due time is probed {@link #IDLE_FACTOR} times less often too, and goes back to the full rate with the
 * first probe that runs later than that. Every probe wakes the loop when it is due, and a loop that serves a few
 * requests a second sleeps between them: at the full rate the probes were most of its wake-ups, and each costs
 * 0.1 to 0.2 ms of CPU on a virtual machine. The price: in quiet periods the histogram has fewer samples (its
 * percentiles lean towards the busy periods, the conservative side), and a short stall that starts in a quiet
 * period is seen only if a probe falls due during it; one longer than the sparse interval always is.
 *
 * <p>Never keeps a loop alive or delays its shutdown: the loop and its thread are held weakly (the loop's own
 * scheduled queue is what holds the probe), the probe stops re-arming once the loop is shutting down (Netty's
 * {@code isShuttingDown()}, looked up once per class) or refuses the task, and Netty cancels scheduled tasks
 * when its shutdown begins.
 *
 * <p>{@link #run} runs on the loop's thread; {@link #overdueNanos} and {@link #thread} are read by the checker.
 */
final class NettyLoopProbe implements Runnable {
    private static final ClassValue<MethodHandle> SHUTTING_DOWN = publicMethod("isShuttingDown", boolean.class);
    /** Netty 4.1/4.2 {@code SingleThreadEventLoop.registeredChannels()}: -1 when the transport does not count. */
    private static final ClassValue<MethodHandle> REGISTERED_CHANNELS = publicMethod("registeredChannels", int.class);
    /** A loop with no channel registered, or a quiet one, is probed this many times less often (class comment). */
    static final int IDLE_FACTOR = 10;
    /** Probes in a row that ran within {@link #QUIET_LAG_NANOS} of their due time before a loop counts as quiet. */
    static final int QUIET_RUNS = 10;
    /**
     * Lateness under which a probe counts as quiet. A sleeping NIO loop wakes up to a millisecond or two after the
     * due time (its selector's timeouts are whole milliseconds; Artemis's idle loops showed 1.2–1.3 ms), and a lag
     * under 5 ms is not one a service suffers from.
     */
    static final long QUIET_LAG_NANOS = 5_000_000;

    /** The public no-argument method {@code name} of a loop class, or null when it has none (not a Netty loop). */
    private static ClassValue<MethodHandle> publicMethod(String name, Class<?> returnType) {
        return new ClassValue<>() {
            @Override
            protected MethodHandle computeValue(Class<?> type) {
                // the first public class up the hierarchy (a loop class may be package-private; the method is public)
                for (Class<?> c = type; c != null; c = c.getSuperclass()) {
                    try {
                        return MethodHandles.publicLookup().findVirtual(c, name, MethodType.methodType(returnType));
                    } catch (ReflectiveOperationException | RuntimeException e) {
                        // try the super class
                    }
                }
                return null;
            }
        };
    }

    private final WeakReference<ScheduledExecutorService> loop;
    private final long intervalNanos;
    private final Function<String, LagHistogramBridge> series;
    private volatile WeakReference<Thread> thread;
    private volatile long dueNanos;
    /** The delay of the armed probe: the interval, or {@link #IDLE_FACTOR} times it on an idle or quiet loop. */
    private long armedIntervalNanos; // loop thread (and the first arm, before the probe runs)
    private int quietRuns;           // loop thread only
    private volatile boolean pending;
    private volatile boolean done;
    private LagHistogramBridge bridge; // loop thread only
    private long reportedDueNanos;     // checker thread only

    NettyLoopProbe(ScheduledExecutorService loop, long intervalNanos, Function<String, LagHistogramBridge> series) {
        this.loop = new WeakReference<>(loop);
        this.intervalNanos = intervalNanos;
        this.series = series;
    }

    /** Schedules the first run; marks the probe done when the loop is gone, shutting down or refuses it. */
    void arm(long nowNanos) {
        arm(nowNanos, false);
    }

    private void arm(long nowNanos, boolean onLoop) {
        ScheduledExecutorService l = loop.get();
        if (l == null || shuttingDown(l)) {
            done = true;
            return;
        }
        long delay = onLoop && (quietRuns >= QUIET_RUNS || idle(l)) ? intervalNanos * IDLE_FACTOR : intervalNanos;
        armedIntervalNanos = delay;
        dueNanos = nowNanos + delay;
        pending = true;
        try {
            l.schedule(this, delay, TimeUnit.NANOSECONDS);
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
        long lateNanos = now - dueNanos;
        bridge.record(lateNanos, armedIntervalNanos);
        quietRuns = lateNanos < QUIET_LAG_NANOS ? Math.min(quietRuns + 1, QUIET_RUNS) : 0;
        if (!done) {
            arm(now, true);
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

    /** For tests: the delay the probe was last armed with. */
    long armedIntervalNanos() {
        return armedIntervalNanos;
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

    /** True when the loop has no channel registered (asked on the loop's own thread, where the count is exact). */
    private static boolean idle(ScheduledExecutorService loop) {
        MethodHandle handle = REGISTERED_CHANNELS.get(loop.getClass());
        if (handle == null) {
            return false;
        }
        try {
            return (int) handle.invoke(loop) == 0;
        } catch (Throwable e) {
            return false;
        }
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
