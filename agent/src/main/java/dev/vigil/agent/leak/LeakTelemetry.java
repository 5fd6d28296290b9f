package dev.vigil.agent.leak;

import dev.vigil.bridge.LeakHook;

/** The bridge's {@link LeakHook}: listener registrations and periodic tasks into their {@link RetentionTracker}s. */
public final class LeakTelemetry extends LeakHook {
    public static final String LISTENER = "listener";
    public static final String TIMER = "timer";

    private final RetentionTracker listeners;
    private final RetentionTracker timers;

    /** Either tracker may be null (that kind is off). */
    public LeakTelemetry(RetentionTracker listeners, RetentionTracker timers) {
        this.listeners = listeners;
        this.timers = timers;
    }

    @Override
    public void listenerAdded(Object owner, Object listener) {
        if (listeners != null) {
            listeners.registered(owner, listener);
        }
    }

    @Override
    public void listenerRemoved(Object owner, Object listener) {
        if (listeners != null) {
            listeners.unregistered(listener);
        }
    }

    @Override
    public void periodicScheduled(Object scheduler, Object task, Object command) {
        if (timers != null) {
            timers.registered(scheduler, task, command);
        }
    }

    @Override
    public void periodicCancelled(Object task) {
        if (timers != null) {
            timers.unregistered(task);
        }
    }
}
