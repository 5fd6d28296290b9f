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
 * complete here), never throwing (a periodic job that throws is cancelled by the executor). The start and end of
 * the last {@value #RECENT_JOBS} jobs are kept, so that a latency probe sharing the thread (the hiccup meter) can
 * tell its own oversleep from time the thread spent on other jobs ({@link #busyNanosSince(long)}).
 */
public final class AgentScheduler extends ScheduledThreadPoolExecutor {
    static final int RECENT_JOBS = 64;
    /** Start and end (nanoTime) of the last jobs, a ring written and read on the scheduler's thread only. */
    private final long[] starts = new long[RECENT_JOBS];
    private final long[] ends = new long[RECENT_JOBS];
    private int next;
    private int filled;
    private long currentStart;

    public AgentScheduler(ThreadFactory threads) {
        super(1, threads);
        setRemoveOnCancelPolicy(true);
        setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        setContinueExistingPeriodicTasksAfterShutdownPolicy(false);
    }

    @Override
    protected void beforeExecute(Thread thread, Runnable job) {
        currentStart = System.nanoTime();
    }

    @Override
    protected void afterExecute(Runnable job, Throwable failure) {
        long end = System.nanoTime();
        starts[next] = currentStart;
        ends[next] = end;
        next = (next + 1) % RECENT_JOBS;
        filled = Math.min(filled + 1, RECENT_JOBS);
    }

    /**
     * Time the thread spent running jobs after {@code sinceNanos}, from the jobs finished so far (call it from a job
     * on this scheduler). A stall of the whole JVM delays every job due during it: those jobs then run after it, and
     * only their own running time is subtracted, never the stall.
     */
    public long busyNanosSince(long sinceNanos) {
        long busy = 0;
        for (int i = 0; i < filled; i++) {
            if (ends[i] - sinceNanos > 0) {
                busy += ends[i] - (starts[i] - sinceNanos > 0 ? starts[i] : sinceNanos);
            }
        }
        return busy;
    }
}
