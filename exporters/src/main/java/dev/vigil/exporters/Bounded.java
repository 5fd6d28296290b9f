package dev.vigil.exporters;

import java.time.Duration;
import java.util.concurrent.ThreadFactory;

/**
 * Runs a step that may block for longer than the caller can wait (closing an exporter: on JDK 21+ the JDK
 * HttpClient's {@code close()} waits for in-flight requests, which a collector that never answers keeps open) on a
 * daemon thread, and waits for it at most {@code timeout}. A step still running then is abandoned: the JVM is
 * shutting down or the agent is done with it.
 */
public final class Bounded {
    private Bounded() {
    }

    /** Returns true when {@code step} finished within {@code timeout}. */
    public static boolean run(Runnable step, Duration timeout, ThreadFactory threads) {
        Thread thread = threads.newThread(step);
        thread.setDaemon(true);
        thread.start();
        try {
            thread.join(Math.max(1, timeout.toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return !thread.isAlive();
    }
}
