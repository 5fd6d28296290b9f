package dev.vigil.agent.runtime.looplag;

import dev.vigil.agent.log.AgentLog;
import dev.vigil.agent.util.WeakIdentityMap;
import dev.vigil.bridge.AgentThread;

import java.util.concurrent.RunnableScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Queue wait of the tasks of the JDK's thread pools ({@code vigil.eventloop.lag{source=executor}}): time from
 * {@code ThreadPoolExecutor.execute} to the start of the task on a worker. The submission time is stamped in a
 * weak identity map keyed by the task object (the same design as context propagation: no wrapper, so the task's
 * identity is untouched) and taken out when the worker runs it. For {@code ScheduledThreadPoolExecutor} tasks
 * nothing is stamped: the wait is how late the task starts, {@code -getDelay()} at start.
 *
 * <p>Tagged by pool: the worker thread's name without numbers ({@link ThreadGroupName}), resolved once per worker.
 * Individual waits are recorded without back-filling (they are not samples of a periodic probe).
 *
 * <p>Cost (BENCHMARKS.md): one map insertion per submitted task (a weak key, a boxed timestamp and a map node)
 * and one removal per started task. At most {@value #MAX_ENTRIES} tasks are stamped and not yet started; beyond
 * that new tasks are not stamped (a warning, once). Thread-safe; never throws into the caller.
 */
final class ExecutorQueueWait {
    static final int MAX_ENTRIES = 100_000;
    private final WeakIdentityMap<Long> stamps = new WeakIdentityMap<>();
    private final ThreadLocal<LagHistogramBridge> pools;

    ExecutorQueueWait(Function<String, LagHistogramBridge> series) {
        this.pools = ThreadLocal.withInitial(() -> series.apply(Thread.currentThread().getName()));
    }

    void submitted(Object task) {
        if (task == null || AgentThread.current()) {
            return;
        }
        if (stamps.size() >= MAX_ENTRIES) {
            stamps.expunge();
            if (stamps.size() >= MAX_ENTRIES) {
                AgentLog.warnOnce("queuewait.full", MAX_ENTRIES + " pool tasks are queued and not started:"
                        + " executor queue wait is no longer stamped for new tasks until they run");
                return;
            }
        }
        stamps.put(task, System.nanoTime());
    }

    void started(Object task) {
        long waitNanos;
        if (task instanceof RunnableScheduledFuture) {
            waitNanos = -((RunnableScheduledFuture<?>) task).getDelay(TimeUnit.NANOSECONDS);
        } else {
            if (stamps.isEmpty()) {
                return;
            }
            Long submitted = stamps.remove(task);
            if (submitted == null) {
                return;
            }
            waitNanos = System.nanoTime() - submitted;
        }
        if (AgentThread.current()) {
            return;
        }
        pools.get().record(waitNanos);
    }

    long pending() {
        stamps.expunge();
        return stamps.size();
    }
}
