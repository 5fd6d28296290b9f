package dev.vigil.sample.bench;

import java.io.IOException;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the harness reads from outside the measured JVM, so that no mode needs anything inside the app:
 * CPU time, RSS and thread count from {@code /proc/<pid>}, and heap figures from the JVM's own GC log.
 */
final class Proc {
    private static final long CLOCK_TICKS = Long.getLong("bench.clk.tck", 100);
    /** {@code 25M->6M(512M)} in a {@code -Xlog:gc} line: heap used before and after a pause, and its capacity. */
    private static final Pattern HEAP = Pattern.compile("(\\d+)([KMG])->(\\d+)([KMG])\\((\\d+)([KMG])\\)");

    private Proc() {
    }

    /** User + system CPU time of the whole process, in nanoseconds (clock-tick resolution). */
    static long cpuNanos(long pid) throws IOException {
        return cpuTicks(Path.of("/proc/" + pid + "/stat")) * 1_000_000_000L / CLOCK_TICKS;
    }

    /** utime + stime, in clock ticks, from a process's or a thread's {@code stat} file. */
    private static long cpuTicks(Path statFile) throws IOException {
        String stat = Files.readString(statFile);
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        // after "(comm)": f[0] is field 3 (state), so utime (14) and stime (15) are f[11] and f[12]
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    /**
     * User + system CPU time of the JVM's JIT compiler threads ({@code C1 CompilerThread*}, {@code C2
     * CompilerThread*}; the kernel cuts names at 15 characters), in nanoseconds: compilation comes in bursts when
     * the app reaches new code paths, so it is reported apart from the rest of the CPU per request. A compiler
     * thread that exits between two readings takes its time with it (HotSpot adds and removes them with demand).
     */
    static long jitCpuNanos(long pid) throws IOException {
        long ticks = 0;
        try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                try {
                    if (Files.readString(task.resolve("comm")).matches("C\\d CompilerThre.*\\s*")) {
                        ticks += cpuTicks(task.resolve("stat"));
                    }
                } catch (IOException gone) {
                    // the thread exited while being read
                }
            }
        }
        return ticks * 1_000_000_000L / CLOCK_TICKS;
    }

    /** A numeric field of {@code /proc/<pid>/status}, e.g. {@code VmRSS} (kB) or {@code Threads}. */
    static long status(long pid, String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith(field + ":")) {
                return Long.parseLong(line.substring(field.length() + 1).trim().split("\\s+")[0]);
            }
        }
        throw new IOException(field + " not in /proc/" + pid + "/status");
    }

    /** Thread names from {@code jcmd <pid> Thread.print}, digits and identity hashes removed (pool numbering varies), counted. */
    static Map<String, Integer> threadNames(Path jcmd, long pid) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid), "Thread.print").redirectErrorStream(true)
                .start();
        Map<String, Integer> out = new TreeMap<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                if (line.startsWith("\"")) {
                    String name = line.substring(1, Math.max(1, line.indexOf('"', 1)))
                            .replaceAll("@[0-9a-f]+", "@").replaceAll("[0-9]", "");
                    out.merge(name, 1, Integer::sum);
                }
            }
        }
        p.waitFor();
        return out;
    }

    /** Asks the JVM for a full collection ({@code jcmd <pid> GC.run}); returns once it is done. */
    static void fullGc(Path jcmd, long pid) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid), "GC.run").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (p.waitFor() != 0) {
            throw new IOException("jcmd " + pid + " GC.run failed");
        }
    }

    /** One pause from the GC log: heap used before and after, in bytes, and whether {@code jcmd GC.run} caused it. */
    record Pause(long before, long after, boolean requested) {
    }

    static List<Pause> pauses(Path gcLog) throws IOException {
        List<Pause> out = new ArrayList<>();
        for (String line : Files.readAllLines(gcLog)) {
            Matcher m = HEAP.matcher(line);
            if (m.find()) {
                out.add(new Pause(bytes(m.group(1), m.group(2)), bytes(m.group(3), m.group(4)),
                        line.contains("Diagnostic Command")));
            }
        }
        return out;
    }

    /**
     * Bytes allocated between the {@code from}-th and the {@code to}-th requested collection (0-based): the sum,
     * over every pause after the first up to and including the second, of the heap used before it minus the heap
     * used after the previous one. Resolution is the log's unit (1 MB) per pause.
     */
    static long allocatedBetween(List<Pause> pauses, int from, int to) {
        int start = indexOfRequested(pauses, from);
        int end = indexOfRequested(pauses, to);
        long sum = 0;
        for (int i = start + 1; i <= end; i++) {
            sum += Math.max(0, pauses.get(i).before() - pauses.get(i - 1).after());
        }
        return sum;
    }

    static int indexOfRequested(List<Pause> pauses, int nth) {
        int seen = 0;
        for (int i = 0; i < pauses.size(); i++) {
            if (pauses.get(i).requested() && seen++ == nth) {
                return i;
            }
        }
        throw new IllegalStateException("GC log has fewer than " + (nth + 1) + " requested collections");
    }

    private static long bytes(String n, String unit) {
        long v = Long.parseLong(n);
        return switch (unit) {
            case "K" -> v << 10;
            case "M" -> v << 20;
            default -> v << 30;
        };
    }
}
