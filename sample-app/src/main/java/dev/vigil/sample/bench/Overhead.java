package dev.vigil.sample.bench;

import jakarta.jms.JMSConsumer;
import jakarta.jms.JMSContext;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Overhead harness (issue 7): runs one app under no agent, Vigil and the OpenTelemetry Java agent, interleaved
 * over several rounds, and prints medians, min–max and ratios to the no-agent run. Everything is measured from
 * outside the app (client-side timings, {@code /proc}, the JVM's GC log, {@code jcmd}), so the app needs no
 * endpoint of its own and any jar serving HTTP can be measured. Run through {@code bench/overhead.sh}.
 *
 * <p>One run: launch → poll the URL until the first 2xx (start-up) → warm-up at fixed concurrency → throughput at
 * fixed concurrency → full GC → fixed-rate phase (latency, CPU and allocation per request) → full GC → optional
 * queue drain and full GC → heap after load (from that GC), RSS and threads → SIGTERM.
 */
public final class Overhead {
    private final Map<String, String> opt;
    private final Map<String, Map<String, List<Double>>> results = new LinkedHashMap<>();
    /** Each fixed-rate phase's latencies (µs), per mode, one array per round. */
    private final Map<String, List<long[]>> latencies = new LinkedHashMap<>();
    private final Rounds all = new Rounds(results, latencies);
    /** Thread names (digits removed) and their counts after load, per mode, for the round being run. */
    private final Map<String, Map<String, Integer>> threadNames = new LinkedHashMap<>();

    private Overhead(Map<String, String> opt) {
        this.opt = opt;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opt = new LinkedHashMap<>();
        opt.put("rounds", "5");
        opt.put("java", Path.of(System.getProperty("java.home"), "bin", "java").toString());
        opt.put("jvm-opts", "-Xms512m -Xmx512m");
        opt.put("receiver-port", "14318");
        opt.put("service-name", "bench-app");
        // the JIT compiles the agent's code paths for about a minute after start (bench/settling.sh): measure after
        // it, as a long-running service runs, not during it
        opt.put("warmup", "45");
        opt.put("concurrency", "4");
        opt.put("throughput-seconds", "15");
        opt.put("rate", "40");
        // 2,400 requests: the p99 is then the 24th slowest, not the 10th, and a JIT burst weighs less in the CPU
        opt.put("rate-seconds", "60");
        opt.put("modes", "none,vigil,otel");
        opt.put("work", "target/overhead");
        opt.put("vigil-opts", "");
        opt.put("otel-opts", "");
        for (int i = 0; i < args.length; i += 2) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --key value pairs, got " + Arrays.toString(args));
            }
            opt.put(args[i].substring(2), args[i + 1]);
        }
        for (String required : List.of("app", "url")) {
            if (!opt.containsKey(required)) {
                throw new IllegalArgumentException("--" + required + " is required");
            }
        }
        new Overhead(opt).run();
    }

    private void run() throws Exception {
        Path work = Path.of(opt.get("work")).toAbsolutePath();
        Files.createDirectories(work);
        List<String> modes = List.of(opt.get("modes").split(","));
        int rounds = Integer.parseInt(opt.get("rounds"));
        try (DiscardingReceiver receiver = new DiscardingReceiver(Integer.parseInt(opt.get("receiver-port")))) {
            for (int round = 1; round <= rounds; round++) {
                for (int k = 0; k < modes.size(); k++) {
                    // rotate the order every round so that no mode always runs first (page cache, JIT of the driver)
                    String mode = modes.get((k + round - 1) % modes.size());
                    receiver.reset();
                    Map<String, Double> r = once(mode, round, work, receiver);
                    r.forEach((metric, value) -> results.computeIfAbsent(mode, m -> new LinkedHashMap<>())
                            .computeIfAbsent(metric, m -> new ArrayList<>()).add(value));
                    System.out.printf(Locale.ROOT, "round %d %-5s %s%n", round, mode, r);
                }
                addedThreads(modes);
            }
        }
        report(System.out, modes);
        try (PrintStream tsv = new PrintStream(work.resolve("results.tsv").toFile())) {
            tsv.println("mode\tmetric\tvalues");
            results.forEach((mode, metrics) -> metrics.forEach((metric, values) ->
                    tsv.println(mode + "\t" + metric + "\t" + values)));
        }
    }

    /**
     * Threads an agent adds, by name: the threads (Java and JVM, from {@code jcmd Thread.print}) whose name, digits
     * removed, does not occur at all in the no-agent run of the same round. The app's own pools (whose sizes vary
     * with timing) therefore do not count; an agent thread named like one of the app's would be missed.
     */
    private void addedThreads(List<String> modes) {
        Map<String, Integer> base = threadNames.get("none");
        if (base == null) {
            return;
        }
        for (String mode : modes) {
            Map<String, Integer> names = threadNames.get(mode);
            int added = 0;
            for (Map.Entry<String, Integer> e : names.entrySet()) {
                if (!base.containsKey(e.getKey())) {
                    added += e.getValue();
                }
            }
            results.get(mode).computeIfAbsent("threads_added", m -> new ArrayList<>()).add((double) added);
        }
        threadNames.clear();
    }

    private List<String> agentArgs(String mode) {
        String endpoint = "http://127.0.0.1:" + opt.get("receiver-port");
        String service = opt.get("service-name");
        List<String> out = new ArrayList<>();
        // a variant "vigil-<name>" (or "otel-<name>") is that agent with --vigil-<name>-opts (--otel-<name>-opts)
        // added; --vigil-<name>-jar runs another build of Vigil (before/after comparisons)
        String agent = mode.contains("-") ? mode.substring(0, mode.indexOf('-')) : mode;
        String extra = mode.contains("-") ? opt.getOrDefault(mode + "-opts", "") : "";
        switch (agent) {
            case "none" -> {
            }
            case "vigil" -> out.add("-javaagent:" + Path.of(opt.getOrDefault(mode + "-jar", opt.get("vigil-agent"))).toAbsolutePath()
                    + "=service.name=" + service + ",otlp.endpoint=" + endpoint + ",traces.sampler=always_on"
                    + ",metrics.exporter=otlp,metrics.export.interval.ms=60000,prometheus.port=0"
                    + (opt.get("vigil-opts").isBlank() ? "" : "," + opt.get("vigil-opts"))
                    + (extra.isBlank() ? "" : "," + extra));
            case "otel" -> {
                out.add("-javaagent:" + Path.of(opt.get("otel-agent")).toAbsolutePath());
                out.addAll(List.of("-Dotel.service.name=" + service, "-Dotel.exporter.otlp.endpoint=" + endpoint,
                        "-Dotel.exporter.otlp.protocol=http/protobuf", "-Dotel.traces.sampler=always_on",
                        "-Dotel.metrics.exporter=otlp", "-Dotel.metric.export.interval=60000",
                        "-Dotel.logs.exporter=none"));
                out.addAll(split(opt.get("otel-opts")));
                out.addAll(split(extra));
            }
            default -> throw new IllegalArgumentException("unknown mode " + mode + " (none, vigil, otel, vigil-<name>)");
        }
        return out;
    }

    private Map<String, Double> once(String mode, int round, Path work, DiscardingReceiver receiver) throws Exception {
        Path dir = Files.createDirectories(work.resolve(mode + "-" + round));
        Path gcLog = dir.resolve("gc.log");
        Files.deleteIfExists(gcLog);
        List<String> cmd = new ArrayList<>();
        cmd.add(opt.get("java"));
        cmd.addAll(split(opt.get("jvm-opts")));
        cmd.add("-Xlog:gc:file=" + gcLog);
        cmd.addAll(agentArgs(mode));
        cmd.addAll(List.of("-jar", Path.of(opt.get("app")).toAbsolutePath().toString()));
        cmd.addAll(split(opt.getOrDefault("app-args", "")));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("app.log").toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("OTEL_") || k.startsWith("VIGIL_"));
        Load load = new Load(opt.get("url"));
        Path jcmd = Path.of(opt.get("java")).resolveSibling("jcmd");
        Map<String, Double> r = new LinkedHashMap<>();

        for (int i = 0; load.once(); i++) { // the previous run's app (or anything else) still answering on the URL
            if (i == 100) {
                throw new IllegalStateException(opt.get("url") + " answers before the app was started");
            }
            Thread.sleep(100);
        }
        long launched = System.nanoTime();
        Process app = pb.start();
        try {
            long pid = app.pid();
            while (!load.once()) {
                if (!app.isAlive() || System.nanoTime() - launched > TimeUnit.SECONDS.toNanos(180)) {
                    throw new IllegalStateException(mode + ": app never answered 2xx, see " + dir.resolve("app.log"));
                }
                Thread.sleep(10);
            }
            r.put("startup", (System.nanoTime() - launched) / 1e9);

            int concurrency = Integer.parseInt(opt.get("concurrency"));
            load.throughput(concurrency, Double.parseDouble(opt.get("warmup")));
            r.put("throughput", load.throughput(concurrency, Double.parseDouble(opt.get("throughput-seconds"))));

            Proc.fullGc(jcmd, pid);
            long cpu0 = Proc.cpuNanos(pid), jit0 = Proc.jitCpuNanos(pid);
            Load.RateResult rate = load.fixedRate(Double.parseDouble(opt.get("rate")),
                    Double.parseDouble(opt.get("rate-seconds")));
            long cpu1 = Proc.cpuNanos(pid), jit1 = Proc.jitCpuNanos(pid);
            Proc.fullGc(jcmd, pid);
            int lastGc = 1;
            if (opt.containsKey("drain-jms")) {
                drain(opt.get("drain-jms"), opt.getOrDefault("drain-queue", "orders"));
                Proc.fullGc(jcmd, pid);
                lastGc = 2;
            }
            List<Proc.Pause> pauses = Proc.pauses(gcLog);
            long requests = Math.max(1, rate.ok());
            r.put("cpu_per_req", (cpu1 - cpu0) / 1e6 / requests);
            r.put("jit_per_req", (jit1 - jit0) / 1e6 / requests);
            r.put("cpu_nojit_per_req", (cpu1 - cpu0 - (jit1 - jit0)) / 1e6 / requests);
            r.put("p50", Stats.percentile(rate.latenciesMicros(), 50) / 1000);
            r.put("p99", Stats.percentile(rate.latenciesMicros(), 99) / 1000);
            latencies.computeIfAbsent(mode, m -> new ArrayList<>()).add(rate.latenciesMicros());
            r.put("alloc_per_req", Proc.allocatedBetween(pauses, 0, 1) / 1024.0 / requests);
            r.put("rss", Proc.status(pid, "VmRSS") / 1024.0);
            r.put("heap", pauses.get(Proc.indexOfRequested(pauses, lastGc)).after() / 1048576.0);
            r.put("threads", (double) Proc.status(pid, "Threads"));
            Map<String, Integer> names = Proc.threadNames(jcmd, pid);
            threadNames.put(mode, names);
            Files.write(dir.resolve("threads.txt"), names.entrySet().stream()
                    .map(e -> e.getValue() + " " + e.getKey()).sorted().toList());
            r.put("failed", (double) rate.failed());
            r.put("traces_kb", receiver.bytes("/v1/traces") / 1024.0);
        } finally {
            app.destroy();
            if (!app.waitFor(20, TimeUnit.SECONDS)) {
                app.destroyForcibly().waitFor();
            }
        }
        return r;
    }

    /** Empties the sample app's queue (no worker consumes it here) so heap after load does not hold the messages. */
    private static void drain(String brokerUrl, String queue) {
        try (ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(brokerUrl);
             JMSContext jms = factory.createContext();
             JMSConsumer consumer = jms.createConsumer(jms.createQueue(queue))) {
            while (consumer.receive(500) != null) {
                // discard
            }
        }
    }

    private static final String[][] METRICS = {
            {"startup", "time to first 2xx", "s"},
            {"throughput", "throughput at fixed concurrency", "req/s"},
            {"cpu_per_req", "CPU per request (fixed rate)", "ms"},
            {"jit_per_req", "of which JIT compiler threads", "ms"},
            {"cpu_nojit_per_req", "CPU per request without the JIT's threads", "ms"},
            {"p50", "p50 latency (fixed rate)", "ms"},
            {"p99", "p99 latency (fixed rate)", "ms"},
            {"alloc_per_req", "allocation per request (fixed rate)", "KB"},
            {"rss", "RSS after load", "MB"},
            {"heap", "heap used after load (after full GC)", "MB"},
            {"threads", "threads after load", ""},
            {"threads_added", "threads added (by name, vs none)", ""},
    };

    private void report(PrintStream out, List<String> modes) {
        out.println();
        out.printf(Locale.ROOT, "Medians over %s rounds (min–max); ratio = median / median of 'none'; "
                        + "fixed rate %s req/s for %s s, concurrency %s for %s s after %s s warm-up%n",
                opt.get("rounds"), opt.get("rate"), opt.get("rate-seconds"), opt.get("concurrency"),
                opt.get("throughput-seconds"), opt.get("warmup"));
        StringBuilder header = new StringBuilder("| metric |");
        StringBuilder rule = new StringBuilder("| --- |");
        for (String mode : modes) {
            header.append(' ').append(mode).append(" |");
            rule.append(" --- |");
            if (!mode.equals("none")) {
                header.append(' ').append(mode).append(" / none |");
                rule.append(" --- |");
            }
        }
        out.println(header);
        out.println(rule);
        for (String[] m : METRICS) {
            StringBuilder row = new StringBuilder("| " + m[1] + (m[2].isEmpty() ? "" : " (" + m[2] + ")") + " |");
            double base = Stats.median(all.values("none", m[0]));
            for (String mode : modes) {
                List<Double> v = all.values(mode, m[0]);
                double med = Stats.median(v);
                row.append(String.format(Locale.ROOT, " %s (%s–%s) |", fmt(med), fmt(Stats.min(v)), fmt(Stats.max(v))));
                if (!mode.equals("none")) {
                    row.append(m[0].startsWith("threads") || m[0].equals("startup") || m[0].equals("rss") || m[0].equals("heap")
                            ? String.format(Locale.ROOT, " %+.4g |", med - base)
                            : String.format(Locale.ROOT, " %.3f |", med / base));
                }
            }
            out.println(row);
        }
        out.println("(startup, RSS, heap and threads show the difference to 'none' instead of the ratio)");
        out.printf(Locale.ROOT, "failed requests per mode (sum): %s%n", sums("failed", modes));
        out.printf(Locale.ROOT, "trace KB received per run (median): %s%n", medians("traces_kb", modes));
        StringBuilder pooled = new StringBuilder();
        for (String mode : modes) {
            pooled.append(mode).append('=').append(fmt(all.pooledP99(mode)))
                    .append(mode.equals("none") ? "" : " (" + pct(all.pooledOver(mode)) + ")")
                    .append(' ');
        }
        out.printf(Locale.ROOT, "p99 of all rounds' fixed-rate requests pooled (ms): %s%n", pooled.toString().trim());
        paired(out, modes);
        if (modes.containsAll(List.of("none", "vigil", "otel"))) {
            goals(out);
        }
    }

    /** Metrics shown per round against the same round's 'none': "%" as a ratio, "s" as a difference. */
    private static final String[][] PAIRED = {{"startup", "time to first 2xx", "s"}, {"cpu_per_req", "CPU per request", "%"},
            {"cpu_nojit_per_req", "CPU per request without the JIT's threads", "%"}, {"p99", "p99 latency", "%"}, {"alloc_per_req", "allocation per request", "%"}};

    /**
     * Each round's overhead against the no-agent run of the same round, and their median: the rounds are
     * interleaved, so this cancels what the machine did between rounds (on a shared machine the steadier figure).
     */
    private void paired(PrintStream out, List<String> modes) {
        out.println();
        out.println("Per round, overhead against the same round's 'none' (in brackets: the median of the rounds,"
                + " and the interval\nthat holds 90 % of the medians of " + RESAMPLES + " resamples of the rounds):");
        for (String mode : modes) {
            if (mode.equals("none")) {
                continue;
            }
            for (String[] m : PAIRED) {
                List<Double> rounds = pairedOverheads(m[0], mode, m[2].equals("%"));
                List<String> shown = new ArrayList<>();
                for (double v : rounds) {
                    shown.add(paired(v, m[2]));
                }
                double[] interval = Stats.medianInterval(rounds, 0.9, RESAMPLES, new Random(SEED));
                out.printf(Locale.ROOT, "  %s, %s: %s (%s; 90 %% interval %s to %s)%n", mode, m[1],
                        String.join(" · ", shown), paired(Stats.median(rounds), m[2]), paired(interval[0], m[2]),
                        paired(interval[1], m[2]));
            }
        }
    }

    private static String paired(double v, String unit) {
        return unit.equals("%") ? pct(v) : String.format(Locale.ROOT, "%+.2f %s", v, unit);
    }

    /** Per round: {@code mode / none - 1} (ratio) or {@code mode - none}, over the rounds both completed. */
    private List<Double> pairedOverheads(String metric, String mode, boolean ratio) {
        List<Double> base = all.values("none", metric), v = all.values(mode, metric);
        List<Double> out = new ArrayList<>();
        for (int i = 0; i < Math.min(base.size(), v.size()); i++) {
            out.add(ratio ? v.get(i) / base.get(i) - 1 : v.get(i) - base.get(i));
        }
        return out;
    }

    /** Bootstrap resamples of the rounds behind the goals' support and the per-round intervals. */
    private static final int RESAMPLES = 2000;
    /** Fixed, so that the same results always print the same intervals. */
    private static final long SEED = 7;

    /**
     * One of issue 7's goals: the rule that decides it (on the medians of some rounds), and what is shown of each
     * agent.
     */
    private record Goal(String name, Function<Rounds, String> vigil, Function<Rounds, String> otel,
                        Predicate<Rounds> met) {
    }

    /**
     * Issue 7's goals, from the medians: Vigil's overhead against no agent and against the OpenTelemetry agent's.
     * Each goal's <em>support</em> is the share of bootstrap resamples of the rounds (each round's three runs drawn
     * together) in which the same rule holds: near 100 % or 0 % the rounds settle the goal; in between, a verdict
     * from these few rounds could have gone either way.
     */
    private void goals(PrintStream out) {
        List<Goal> goals = new ArrayList<>();
        goals.add(cpuGoal("CPU per request: overhead < 5 % and ≤ 1/3 of OpenTelemetry's", "cpu_per_req"));
        goals.add(cpuGoal("(the same without the JIT compiler threads, not the goal itself)", "cpu_nojit_per_req"));
        goals.add(new Goal("start-up: overhead < 1 s and ≤ 1/3 of OpenTelemetry's",
                r -> fmt(r.diff("startup", "vigil")) + " s", r -> fmt(r.diff("startup", "otel")) + " s",
                r -> r.diff("startup", "vigil") < 1 && r.diff("startup", "vigil") <= r.diff("startup", "otel") / 3));
        goals.add(new Goal("p99 latency at fixed rate: overhead < 3 %", r -> pct(r.over("p99", "vigil")),
                r -> pct(r.over("p99", "otel")), r -> r.over("p99", "vigil") < 0.03));
        goals.add(new Goal("(p99 of all rounds' requests pooled, not the goal itself)",
                r -> pct(r.pooledOver("vigil")), r -> pct(r.pooledOver("otel")), r -> r.pooledOver("vigil") < 0.03));
        goals.add(new Goal("allocation per request: overhead < 1/4 of OpenTelemetry's",
                r -> pct(r.over("alloc_per_req", "vigil")), r -> pct(r.over("alloc_per_req", "otel")),
                r -> r.over("alloc_per_req", "vigil") < Math.max(0, r.over("alloc_per_req", "otel")) / 4));
        goals.add(new Goal("extra threads ≤ 4", r -> fmt(Stats.median(r.values("vigil", "threads_added"))),
                r -> fmt(Stats.median(r.values("otel", "threads_added"))),
                r -> Stats.median(r.values("vigil", "threads_added")) <= 4));
        if (opt.containsKey("vigil-jar-bytes")) {
            double mb = Long.parseLong(opt.get("vigil-jar-bytes")) / 1e6;
            String otelMb = opt.containsKey("otel-jar-bytes")
                    ? fmt(Long.parseLong(opt.get("otel-jar-bytes")) / 1e6) + " MB" : "";
            goals.add(new Goal("jar < 8 MB", r -> fmt(mb) + " MB", r -> otelMb, r -> mb < 8));
        }

        int rounds = all.values("none", "startup").size();
        int[] held = new int[goals.size()];
        Random random = new Random(SEED);
        for (int b = 0; b < RESAMPLES; b++) {
            Rounds resample = all.pick(Stats.resample(rounds, random));
            for (int g = 0; g < goals.size(); g++) {
                held[g] += goals.get(g).met().test(resample) ? 1 : 0;
            }
        }
        out.println();
        out.println("| goal | Vigil | OpenTelemetry | met? | support |");
        out.println("| --- | --- | --- | --- | ---: |");
        for (int g = 0; g < goals.size(); g++) {
            Goal goal = goals.get(g);
            out.printf(Locale.ROOT, "| %s | %s | %s | %s | %.0f %% |%n", goal.name(), goal.vigil().apply(all),
                    goal.otel().apply(all), goal.met().test(all) ? "met" : "**not met**", 100.0 * held[g] / RESAMPLES);
        }
        out.printf(Locale.ROOT, "(support: the share of %d resamples of the %d rounds, each round's runs drawn"
                + " together, in which the goal holds by the same rule)%n", RESAMPLES, rounds);
    }

    /** CPU per request: Vigil's overhead under 5 % and at most a third of OpenTelemetry's. */
    private static Goal cpuGoal(String name, String metric) {
        return new Goal(name, r -> pct(r.over(metric, "vigil")), r -> pct(r.over(metric, "otel")), r -> {
            double vigil = r.over(metric, "vigil");
            return vigil < 0.05 && vigil <= Math.max(0, r.over(metric, "otel")) / 3;
        });
    }

    /** The results of some rounds: all of them, or a bootstrap resample (rounds drawn with replacement). */
    record Rounds(Map<String, Map<String, List<Double>>> results, Map<String, List<long[]>> latencies) {
        List<Double> values(String mode, String metric) {
            return results.getOrDefault(mode, Map.of()).getOrDefault(metric, List.of());
        }

        /** Ratio of the medians, less one. */
        double over(String metric, String mode) {
            return Stats.median(values(mode, metric)) / Stats.median(values("none", metric)) - 1;
        }

        double diff(String metric, String mode) {
            return Stats.median(values(mode, metric)) - Stats.median(values("none", metric));
        }

        /** The p99 of every fixed-rate request of these rounds together, in ms. */
        double pooledP99(String mode) {
            List<long[]> runs = latencies.getOrDefault(mode, List.of());
            long[] pooled = new long[runs.stream().mapToInt(a -> a.length).sum()];
            int at = 0;
            for (long[] run : runs) {
                System.arraycopy(run, 0, pooled, at, run.length);
                at += run.length;
            }
            return Stats.percentile(pooled, 99) / 1000;
        }

        double pooledOver(String mode) {
            return pooledP99(mode) / pooledP99("none") - 1;
        }

        /** These rounds' values at the picked round indices (per-round lists only; a list of another length stays). */
        Rounds pick(int[] picked) {
            Map<String, Map<String, List<Double>>> r = new LinkedHashMap<>();
            results.forEach((mode, metrics) -> metrics.forEach((metric, values) ->
                    r.computeIfAbsent(mode, m -> new LinkedHashMap<>()).put(metric,
                            values.size() == picked.length ? Stats.pick(values, picked) : values)));
            Map<String, List<long[]>> l = new LinkedHashMap<>();
            latencies.forEach((mode, runs) -> l.put(mode, Stats.pick(runs, picked)));
            return new Rounds(r, l);
        }
    }

    private static String pct(double v) {
        return String.format(Locale.ROOT, "%+.1f %%", v * 100);
    }

    private String sums(String metric, List<String> modes) {
        StringBuilder sb = new StringBuilder();
        for (String mode : modes) {
            double sum = all.values(mode, metric).stream().mapToDouble(d -> d).sum();
            sb.append(mode).append('=').append(fmt(sum)).append(' ');
        }
        return sb.toString().trim();
    }

    private String medians(String metric, List<String> modes) {
        StringBuilder sb = new StringBuilder();
        for (String mode : modes) {
            sb.append(mode).append('=').append(fmt(Stats.median(all.values(mode, metric)))).append(' ');
        }
        return sb.toString().trim();
    }

    private static String fmt(double v) {
        if (Double.isNaN(v)) {
            return "–";
        }
        double a = Math.abs(v);
        return String.format(Locale.ROOT, a >= 100 ? "%.0f" : a >= 10 ? "%.1f" : a >= 1 ? "%.2f" : "%.3f", v);
    }

    private static List<String> split(String s) {
        return s == null || s.isBlank() ? List.of() : List.of(s.trim().split("\\s+"));
    }
}
