package dev.vigil.sample.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProcTest {
    @Test
    void allocationIsSummedBetweenTheTwoRequestedCollections(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("gc.log");
        Files.write(log, List.of(
                "[0.080s][info][gc] Using G1",
                "[1.0s][info][gc] GC(0) Pause Young (Normal) (G1 Evacuation Pause) 26M->6M(512M) 4.1ms",
                "[2.0s][info][gc] GC(1) Pause Full (Diagnostic Command) 20M->10M(512M) 30.2ms",
                "[3.0s][info][gc] GC(2) Pause Young (Normal) (G1 Evacuation Pause) 110M->12M(512M) 3.0ms",
                "[3.5s][info][gc] GC(3) Concurrent Mark Cycle 12.0ms",
                "[4.0s][info][gc] GC(4) Pause Young (Normal) (G1 Evacuation Pause) 60M->14M(512M) 3.0ms",
                "[5.0s][info][gc] GC(5) Pause Full (Diagnostic Command) 1024K->8M(512M) 30.0ms",
                "[6.0s][info][gc] GC(6) Pause Full (Diagnostic Command) 9M->7M(512M) 30.0ms"));
        List<Proc.Pause> pauses = Proc.pauses(log);

        assertThat(pauses).hasSize(6);
        // (110 - 10) + (60 - 12) + max(0, 1 - 14) = 148 MB between the first and the second requested GC
        assertThat(Proc.allocatedBetween(pauses, 0, 1)).isEqualTo(148L << 20);
        assertThat(pauses.get(Proc.indexOfRequested(pauses, 2)).after()).isEqualTo(7L << 20);
        assertThatThrownBy(() -> Proc.indexOfRequested(pauses, 3)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void percentilesUseNearestRank() {
        long[] samples = new long[100];
        for (int i = 0; i < samples.length; i++) {
            samples[i] = 100 - i; // unsorted on purpose
        }
        assertThat(Stats.percentile(samples, 50)).isEqualTo(50);
        assertThat(Stats.percentile(samples, 99)).isEqualTo(99);
        assertThat(Stats.median(List.of(3.0, 1.0, 2.0, 10.0))).isEqualTo(2.5);
    }

    @Test
    void cpuTimeOfThisProcessIsReadFromProc() throws Exception {
        long pid = ProcessHandle.current().pid();
        com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean)
                java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        long before = Proc.cpuNanos(pid);
        long deadline = System.nanoTime() + 10_000_000_000L;
        double sink = 0;
        while (Proc.cpuNanos(pid) - before < 100_000_000 && System.nanoTime() < deadline) {
            for (int i = 0; i < 100_000; i++) {
                sink += Math.sqrt(sink + i);
            }
        }
        assertThat(sink).isPositive();
        assertThat(Proc.cpuNanos(pid) - before).isGreaterThanOrEqualTo(100_000_000L);
        // the JVM's own figure for the same process agrees to within a few clock ticks
        assertThat(Math.abs(os.getProcessCpuTime() - Proc.cpuNanos(pid))).isLessThan(200_000_000L);
        assertThat(Proc.status(pid, "Threads")).isPositive();
    }
}
