package dev.vigil.testapps.leak;

import dev.vigil.agent.leak.LeakTelemetry;

/**
 * Registers from outside the agent's packages, for the leak unit tests: {@link #listenerList} stands for the
 * instrumented JDK method, so the site is its caller, {@code add} or {@code addElsewhere}.
 */
public final class Registrar {
    private Registrar() {
    }

    public static void add(LeakTelemetry telemetry, Object owner, Object listener) {
        listenerList(telemetry, owner, listener);
    }

    public static void addElsewhere(LeakTelemetry telemetry, Object owner, Object listener) {
        listenerList(telemetry, owner, listener);
    }

    private static void listenerList(LeakTelemetry telemetry, Object owner, Object listener) {
        telemetry.listenerAdded(owner, listener);
    }

    /** A periodic task of {@code command}'s class scheduled here (the site is this method). */
    public static void schedule(LeakTelemetry telemetry, Object scheduler, Object future, Runnable command) {
        scheduleAtFixedRate(telemetry, scheduler, future, command);
    }

    public static void scheduleElsewhere(LeakTelemetry telemetry, Object scheduler, Object future, Runnable command) {
        scheduleAtFixedRate(telemetry, scheduler, future, command);
    }

    private static void scheduleAtFixedRate(LeakTelemetry telemetry, Object scheduler, Object future, Runnable command) {
        telemetry.periodicScheduled(scheduler, future, command);
    }
}
