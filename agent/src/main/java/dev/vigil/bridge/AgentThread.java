package dev.vigil.bridge;

/**
 * Threads the agent owns (exporter, metrics endpoint, samplers). Instrumentation ignores work done on them, so
 * the agent never traces its own traffic.
 */
public class AgentThread extends Thread {
    public AgentThread(Runnable task, String name) {
        super(null, task, name);
        setDaemon(true);
    }

    /** True when the current thread belongs to the agent. */
    public static boolean current() {
        return Thread.currentThread() instanceof AgentThread;
    }
}
