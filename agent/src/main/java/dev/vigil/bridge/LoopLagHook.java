package dev.vigil.bridge;

/**
 * Event-loop lag and queue wait, called by the Netty event-loop advice and by the thread-pool instrumentation.
 * The defaults do nothing (agent not started, or the sources switched off).
 *
 * <p>Implementations never throw, never block, and allocate nothing in {@link #taskStarted} when nothing was
 * stamped.
 */
public class LoopLagHook {
    /**
     * A Netty {@code SingleThreadEventExecutor} (an event loop) has just started (or restarted) its thread. The
     * executor is passed as {@code Object}: Netty is not on the agent's class path.
     */
    public void eventLoopStarted(Object executor) {
    }

    /** {@code task} was handed to a {@code ThreadPoolExecutor} ({@code execute}): remember when. */
    public void taskSubmitted(Object task) {
    }

    /** A pool worker is about to run {@code task} on the current thread. */
    public void taskStarted(Object task) {
    }
}
