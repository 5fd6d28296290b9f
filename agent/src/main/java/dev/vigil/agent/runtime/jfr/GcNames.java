package dev.vigil.agent.runtime.jfr;

import java.util.Set;

/**
 * Maps JFR collector names ({@code jdk.GarbageCollection.name}) to the semantic-convention {@code jvm.gc.action}
 * values, which come from the JMX GC notifications: {@code "end of minor GC"} for young-generation collections and
 * {@code "end of major GC"} for everything else (old, full, mixed-in-old and whole-heap concurrent cycles).
 *
 * <p>Minor: {@code G1New} (young and mixed pauses), {@code DefNew}, {@code ParNew}, {@code ParallelScavenge},
 * {@code ZGC Minor}. Major: {@code G1Old} (concurrent cycle), {@code G1Full}, {@code SerialOld}, {@code ParallelOld},
 * {@code PSMarkSweep}, {@code Z} (non-generational ZGC), {@code ZGC Major}, {@code Shenandoah} and any name not known
 * here.
 */
final class GcNames {
    static final String MINOR = "end of minor GC";
    static final String MAJOR = "end of major GC";
    private static final Set<String> YOUNG = Set.of("G1New", "DefNew", "ParNew", "ParallelScavenge", "ZGC Minor");

    private GcNames() {
    }

    static String action(String jfrName) {
        return jfrName != null && YOUNG.contains(jfrName) ? MINOR : MAJOR;
    }
}
