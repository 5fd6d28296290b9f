package dev.vigil.testapps.jdbc;

/**
 * Frames for in-process leak tests, outside the agent's packages (whose frames a leak report skips):
 * {@link #application} stands for the application's method, {@link #driverConnect} for the instrumented
 * acquiring method.
 */
public final class LeakSimulation {
    private LeakSimulation() {
    }

    public static void application(Runnable hook) {
        driverConnect(hook);
    }

    public static void driverConnect(Runnable hook) {
        hook.run();
    }
}
