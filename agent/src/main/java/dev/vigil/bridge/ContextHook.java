package dev.vigil.bridge;

/**
 * Carries the current trace context from the thread that hands work over to the thread that runs it, for the
 * JDK's executors, fork/join tasks, {@code CompletableFuture} async stages and thread starts.
 *
 * <p>The context is remembered per task object (identity, weakly held) when work is handed over and made current
 * when that same object starts running; no wrapper is ever put around a task, so {@code remove(task)},
 * {@code shutdownNow()}, {@code ScheduledFuture} and {@code ForkJoinTask} types behave as without the agent.
 * The agent's implementation documents the details. The defaults here do nothing: before the agent starts, or
 * when the instrumentation is off, advice costs one virtual call.
 *
 * <p>Implementations never throw, never block and allocate nothing when no span is active.
 */
public class ContextHook {
    /**
     * Remembers the current context for {@code task} (a {@code Runnable}, {@code ForkJoinTask} or
     * {@code Thread}) if a span is active. {@code executor} is the executor receiving the task, or {@code null}.
     * The first capture of a task wins until the task runs.
     */
    public void capture(Object task, Object executor) {
    }

    /**
     * Makes the context captured for {@code task} current on this thread and forgets it. Returns what
     * {@link #detach} needs, or {@code null} when nothing was captured (the thread's context is left alone).
     */
    public Object attach(Object task) {
        return null;
    }

    /**
     * Like {@link #attach} for pool workers: when nothing was captured the task runs in the root context, so a
     * task never sees whatever context its worker thread happens to hold.
     */
    public Object attachOrRoot(Object task) {
        return null;
    }

    /** Restores the context this thread had before the matching attach, whatever the task left behind. */
    public void detach(Object scope) {
    }

    /** A thread pool is starting one of its own worker threads on this thread: do not propagate into it. */
    public void enterWorkerStart() {
    }

    /** Ends {@link #enterWorkerStart}. */
    public void exitWorkerStart() {
    }
}
