package dev.vigil.exporters;

import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;

/**
 * The agent's one background thread: every periodic job of the agent (span export, metric push, leak windows,
 * blocked-thread checks, the platform hiccup meter) and the completions of its HTTP exports run here, one at a
 * time. One thread is the budget that keeps Vigil's footprint in the host small (issue 7: at most four added
 * threads, the JVM's own JFR threads included).
 *
 * <p>Contract for the jobs: short and non-blocking (no sleeps, no waiting on I/O: exports are asynchronous and
 * complete here), never throwing (a periodic job that throws is cancelled by the executor). The end of every job is
 * stamped, so that a latency probe sharing the thread (the hiccup meter) can tell its own oversleep from time the
 * thread spent on other jobs ({@link #lastJobEndNanos()}).
 */
public final class AgentScheduler extends ScheduledThreadPoolExecutor {
    private volatile long lastJobEndNanos = System.nanoTime();

    public AgentScheduler(ThreadFactory threads) {
        super(1, threads);
        setRemoveOnCancelPolicy(true);
        setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        setContinueExistingPeriodicTasksAfterShutdownPolicy(false);
    }

    @Override
    protected void afterExecute(Runnable job, Throwable failure) {
        lastJobEndNanos = System.nanoTime();
    }

    /** {@link System#nanoTime()} when the last job on the thread finished. */
    public long lastJobEndNanos() {
        return lastJobEndNanos;
    }
}
