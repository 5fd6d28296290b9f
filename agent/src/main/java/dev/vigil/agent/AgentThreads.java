package dev.vigil.agent;

import dev.vigil.bridge.AgentThread;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/** Creates the agent's threads: daemon {@link AgentThread}s named {@code vigil-<purpose>-<n>}. */
public final class AgentThreads implements ThreadFactory {
    private final String prefix;
    private final AtomicInteger count = new AtomicInteger();

    public AgentThreads(String purpose) {
        this.prefix = "vigil-" + purpose + "-";
    }

    @Override
    public Thread newThread(Runnable task) {
        return new AgentThread(task, prefix + count.incrementAndGet());
    }
}
