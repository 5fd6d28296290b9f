package dev.vigil.testapps;

import com.sun.management.HotSpotDiagnosticMXBean;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Test application for the runtime meters, with no agent code. Modes (first argument):
 * <ul>
 *   <li>{@code grow} (default): every 200 ms keeps 512 KB more in a static list and calls {@code System.gc()}, for
 *       {@code args[1]} seconds (default 60); when a line {@code dump} arrives on standard input it takes a heap
 *       dump of 80 MB more small objects, a stop-the-world pause of the whole JVM (a safepoint VM operation)
 *       whatever the collector, and prints {@code DUMPED ms=<duration>};</li>
 *   <li>{@code idle}: does nothing (for CPU overhead measurements).</li>
 * </ul>
 * Prints {@code READY 0} once running.
 */
public final class RuntimeApp {
    static final List<byte[]> RETAINED = new ArrayList<>();
    static volatile Object sink;

    private RuntimeApp() {
    }

    public static void main(String[] args) throws Exception {
        String mode = args.length > 0 ? args[0] : "grow";
        long seconds = args.length > 1 ? Long.parseLong(args[1]) : 60;
        System.out.println("READY 0");
        if (mode.equals("idle")) {
            Thread.sleep(seconds * 1000);
            return;
        }
        long start = System.nanoTime();
        java.io.BufferedReader stdin = new java.io.BufferedReader(new java.io.InputStreamReader(System.in));
        while (System.nanoTime() - start < seconds * 1_000_000_000L) {
            for (int i = 0; i < 512; i++) {
                RETAINED.add(new byte[1024]);
                sink = new byte[4096]; // garbage
            }
            System.gc();
            if (System.in.available() > 0 && "dump".equals(stdin.readLine())) {
                List<byte[]> many = new ArrayList<>();
                for (int i = 0; i < 1_000_000; i++) {
                    many.add(new byte[64]);
                }
                Path dump = Files.createTempDirectory("vigil-it").resolve("heap.hprof");
                long t = System.nanoTime();
                ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class).dumpHeap(dump.toString(), false);
                System.out.println("DUMPED ms=" + (System.nanoTime() - t) / 1_000_000 + " bytes=" + Files.size(dump));
                Files.delete(dump);
                Files.delete(dump.getParent());
                sink = many;
            }
            Thread.sleep(200);
        }
    }
}
