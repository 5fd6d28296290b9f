package dev.vigil.agent.leak;

import dev.vigil.agent.http.CardinalityLimiter;
import dev.vigil.agent.log.AgentLog;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The suspects of every leak kind, and the three ways they are shown:
 * <ul>
 *   <li>the gauge {@code vigil.leak.suspected{kind,site}}: the number of current suspects of that kind at that
 *   site. It is at least 1 while something is suspected there and goes back to <b>0</b> when the last suspect
 *   clears; the series is kept at 0 rather than removed, so that a dashboard shows the clearing and an alert on
 *   {@code > 0} resolves instead of going stale. Sites are capped per kind ({@link #MAX_SITES_PER_KIND}, then
 *   {@code other});</li>
 *   <li>one warning in the agent log per suspect, with the stack that acquired the resource, and one info line
 *   when it clears;</li>
 *   <li>a JSON listing of the current suspects ({@link #json()}, served at {@code /vigil/leaks}).</li>
 * </ul>
 * A resource that is garbage-collected while still unreleased is a leak that can no longer be pointed at: it is
 * counted in {@code vigil.leak.collected{kind,site}} and warned about once per site.
 *
 * <pre>
 * # HELP vigil_leak_suspected Resources suspected of leaking, by kind and acquiring site
 * vigil_leak_suspected{kind="connection",site="com.example.Orders.load"} 1.0
 * vigil_leak_collected_total{kind="connection",site="com.example.Orders.load"} 0.0
 * </pre>
 *
 * <p>Detectors run their checks on the agent's shared scheduler ({@link #every}). Thread-safe.
 */
public final class LeakRegistry implements AutoCloseable {
    public static final String SUSPECTED = "vigil.leak.suspected";
    public static final String COLLECTED = "vigil.leak.collected";
    static final int MAX_SITES_PER_KIND = 100;
    public static final int MAX_FRAMES = 40;

    private final MeterRegistry meters;
    private final LongSupplier epochMillis;
    private final ScheduledExecutorService scheduler;
    private final List<Future<?>> checks = new CopyOnWriteArrayList<>();
    private final ConcurrentHashMap<String, AtomicInteger> perSite = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Counter> collectedPerSite = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, CardinalityLimiter> sitesPerKind = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Long, Suspect> open = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();

    /** @param scheduler the agent's shared scheduler: the checks run there; {@link #close} cancels them only */
    public LeakRegistry(MeterRegistry meters, ScheduledExecutorService scheduler) {
        this(meters, scheduler, System::currentTimeMillis);
    }

    LeakRegistry(MeterRegistry meters, ScheduledExecutorService scheduler, LongSupplier epochMillis) {
        this.meters = meters;
        this.scheduler = scheduler;
        this.epochMillis = epochMillis;
    }

    /**
     * Records a new suspect: gauge up, one warning with {@code stack}. {@code sinceEpochMillis} is when the
     * resource was acquired. Returns the handle to {@link #clear} it with.
     */
    public Suspect report(String kind, String site, String description, List<String> stack, long sinceEpochMillis) {
        String boundedSite = sitesPerKind.computeIfAbsent(kind, k -> new CardinalityLimiter(MAX_SITES_PER_KIND))
                .limit(site);
        Suspect suspect = new Suspect(ids.incrementAndGet(), kind, boundedSite, description, stack, sinceEpochMillis,
                epochMillis.getAsLong());
        open.put(suspect.id, suspect);
        gauge(kind, boundedSite).incrementAndGet();
        StringBuilder message = new StringBuilder("leak suspected (").append(kind).append(") at ").append(site)
                .append(": ").append(description);
        if (!stack.isEmpty()) {
            message.append("; acquired at:");
        }
        for (String frame : stack) {
            message.append("\n\tat ").append(frame);
        }
        AgentLog.warn(message.toString());
        return suspect;
    }

    /** The suspect's resource was released after all: gauge down, one info line "{@code how}". Idempotent. */
    public void clear(Suspect suspect, String how) {
        if (suspect != null && open.remove(suspect.id) != null) {
            gauge(suspect.kind, suspect.site).decrementAndGet();
            AgentLog.info("leak cleared (" + suspect.kind + ") at " + suspect.site + ": " + how);
        }
    }

    /**
     * A resource was garbage-collected without being released: counted per site, one warning per kind and site
     * (with the stack when it had not been reported yet), and its suspect, if any, leaves the listing.
     */
    public void collected(String kind, String site, Suspect suspect, String description, List<String> stack) {
        String boundedSite = suspect != null ? suspect.site
                : sitesPerKind.computeIfAbsent(kind, k -> new CardinalityLimiter(MAX_SITES_PER_KIND)).limit(site);
        collectedPerSite.computeIfAbsent(kind + '\u0000' + boundedSite, k -> Counter.builder(COLLECTED)
                .description("Resources garbage-collected without being released (leaked), by kind and acquiring site")
                .tag("kind", kind).tag("site", boundedSite).register(meters)).increment();
        if (suspect != null && open.remove(suspect.id) != null) {
            gauge(suspect.kind, suspect.site).decrementAndGet();
        }
        StringBuilder message = new StringBuilder("leak (").append(kind).append(") at ").append(site).append(": ")
                .append(description).append(" (further ones at this site are only counted in ")
                .append(COLLECTED).append(')');
        if (suspect == null && !stack.isEmpty()) {
            message.append("; acquired at:");
            for (String frame : stack) {
                message.append("\n\tat ").append(frame);
            }
        }
        AgentLog.warnOnce("leak-collected:" + kind + ":" + boundedSite, message.toString());
    }

    private AtomicInteger gauge(String kind, String site) {
        return perSite.computeIfAbsent(kind + '\u0000' + site, k -> {
            AtomicInteger count = new AtomicInteger();
            Gauge.builder(SUSPECTED, count, AtomicInteger::get)
                    .description("Resources suspected of leaking, by kind and acquiring site")
                    .tag("kind", kind).tag("site", site).register(meters);
            return count;
        });
    }

    /** Current suspects, oldest first. */
    public List<Suspect> suspects() {
        List<Suspect> out = new ArrayList<>(open.values());
        out.sort(Comparator.comparingLong(s -> s.id));
        return out;
    }

    /**
     * The current suspects as JSON:
     * <pre>{"suspects":[{"kind":"connection","site":"com.example.Orders.load","description":"…",
     *   "since":"2026-…Z","ageSeconds":75,"stack":["org.h2.Driver.connect(Driver.java:59)",…]}]}</pre>
     */
    public String json() {
        long now = epochMillis.getAsLong();
        StringBuilder out = new StringBuilder("{\"suspects\":[");
        boolean first = true;
        for (Suspect s : suspects()) {
            out.append(first ? "" : ",").append("{\"kind\":");
            first = false;
            string(out, s.kind).append(",\"site\":");
            string(out, s.site).append(",\"description\":");
            string(out, s.description).append(",\"since\":");
            string(out, Instant.ofEpochMilli(s.sinceEpochMillis).toString())
                    .append(",\"ageSeconds\":").append(Math.max(0, (now - s.sinceEpochMillis) / 1000))
                    .append(",\"stack\":[");
            for (int i = 0; i < s.stack.size(); i++) {
                string(out.append(i == 0 ? "" : ","), s.stack.get(i));
            }
            out.append("]}");
        }
        return out.append("]}").toString();
    }

    static StringBuilder string(StringBuilder out, String value) {
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"');
    }

    /**
     * Runs {@code check} every {@code periodMillis} on the shared scheduler; a check that throws is logged once and
     * keeps its schedule.
     */
    public void every(long periodMillis, String name, Runnable check) {
        checks.add(scheduler.scheduleWithFixedDelay(() -> {
            try {
                check.run();
            } catch (RuntimeException | LinkageError e) {
                AgentLog.warnOnce("leak-check:" + name, "leak check " + name + " failed (" + e + "); it will retry");
            }
        }, periodMillis, periodMillis, TimeUnit.MILLISECONDS));
    }

    /** Cancels the checks (the scheduler is the agent's and keeps running). */
    @Override
    public void close() {
        for (Future<?> check : checks) {
            check.cancel(false);
        }
    }
}
