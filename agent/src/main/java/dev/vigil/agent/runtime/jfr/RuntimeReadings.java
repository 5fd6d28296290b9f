package dev.vigil.agent.runtime.jfr;

/** Latest values behind the runtime gauges, from JFR events or read from JMX beans; NaN when not known yet. */
interface RuntimeReadings {
    double processCpu();

    double systemCpu();

    double threads();

    double daemonThreads();

    double classesLoadedTotal();

    double classesUnloadedTotal();
}
