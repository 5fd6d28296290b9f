package dev.vigil.agent.runtime.jfr;

import java.lang.management.ClassLoadingMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.lang.management.ThreadMXBean;

/** {@link RuntimeReadings} read from the platform MXBeans at each scrape: the fallback when JFR is unavailable. */
final class JmxReadings implements RuntimeReadings {
    private final OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final ClassLoadingMXBean classes = ManagementFactory.getClassLoadingMXBean();

    @Override
    public double processCpu() {
        return os instanceof com.sun.management.OperatingSystemMXBean sun ? positiveOrNaN(sun.getProcessCpuLoad()) : Double.NaN;
    }

    @Override
    public double systemCpu() {
        return os instanceof com.sun.management.OperatingSystemMXBean sun ? positiveOrNaN(sun.getCpuLoad()) : Double.NaN;
    }

    @Override
    public double threads() {
        return threads.getThreadCount();
    }

    @Override
    public double daemonThreads() {
        return threads.getDaemonThreadCount();
    }

    @Override
    public double classesLoadedTotal() {
        return classes.getTotalLoadedClassCount();
    }

    @Override
    public double classesUnloadedTotal() {
        return classes.getUnloadedClassCount();
    }

    private static double positiveOrNaN(double v) {
        return v < 0 ? Double.NaN : v;
    }
}
