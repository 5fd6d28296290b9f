package dev.vigil.sample;

import com.sun.net.httpserver.HttpServer;

import java.beans.PropertyChangeListener;
import java.beans.PropertyChangeSupport;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Timer;
import java.util.TimerTask;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Switches that misbehave on purpose, one per signal Vigil must catch. Each service mounts them under
 * {@code /misbehave/…}:
 * <ul>
 *   <li>{@code listeners?count=N} adds N property-change listeners to a long-lived object and never removes them;</li>
 *   <li>{@code timers?count=N} starts N {@code java.util.Timer}s with periodic tasks and schedules N periodic
 *       executor tasks, never cancelled;</li>
 *   <li>{@code grow?mb=N} adds N MiB to a static collection that is never cleared;</li>
 *   <li>{@code block?ms=N} blocks the request thread for N ms;</li>
 *   <li>{@code fail?ratio=R} makes a fraction R (0 to 1) of the service's business requests fail with 500.</li>
 * </ul>
 * The orders service adds {@code slow-sql?ms=N}.
 */
final class Misbehaviour {
    /** Long-lived "model" whose listeners leak. */
    static final PropertyChangeSupport MODEL = new PropertyChangeSupport(new Object());
    private static final List<byte[]> RETAINED = new ArrayList<>();
    private static final List<Timer> TIMERS = new ArrayList<>();
    private static final ScheduledExecutorService SCHEDULER = Executors.newScheduledThreadPool(1);
    private static volatile double failRatio;

    private Misbehaviour() {
    }

    static void mount(HttpServer server) {
        server.createContext("/misbehave/listeners", exchange -> {
            int count = Integer.parseInt(Http.query(exchange).getOrDefault("count", "100"));
            Http.respond(exchange, 200, "listeners now " + addListeners(count) + "\n");
        });
        server.createContext("/misbehave/timers", exchange -> {
            int count = Integer.parseInt(Http.query(exchange).getOrDefault("count", "10"));
            Http.respond(exchange, 200, "timers now " + startTimers(count) + "\n");
        });
        server.createContext("/misbehave/grow", exchange -> {
            int mb = Integer.parseInt(Http.query(exchange).getOrDefault("mb", "10"));
            synchronized (RETAINED) {
                for (int i = 0; i < mb; i++) {
                    RETAINED.add(new byte[1024 * 1024]);
                }
                Http.respond(exchange, 200, "retained now " + RETAINED.size() + " MiB\n");
            }
        });
        server.createContext("/misbehave/block", exchange -> {
            int ms = Integer.parseInt(Http.query(exchange).getOrDefault("ms", "500"));
            sleep(ms);
            Http.respond(exchange, 200, "blocked " + ms + " ms\n");
        });
        server.createContext("/misbehave/fail", exchange -> {
            Map<String, String> q = Http.query(exchange);
            failRatio = Math.max(0, Math.min(1, Double.parseDouble(q.getOrDefault("ratio", "0.2"))));
            Http.respond(exchange, 200, "failing " + failRatio + " of requests\n");
        });
    }

    /** Adds {@code count} listeners that are never removed; returns how many the model has. */
    static int addListeners(int count) {
        for (int i = 0; i < count; i++) {
            PropertyChangeListener listener = event -> { };
            MODEL.addPropertyChangeListener(listener);
        }
        return MODEL.getPropertyChangeListeners().length;
    }

    /** Starts {@code count} timers, each with a periodic task, and {@code count} periodic executor tasks, never cancelled. */
    static int startTimers(int count) {
        synchronized (TIMERS) {
            for (int i = 0; i < count; i++) {
                Timer timer = new Timer("leaky-timer-" + TIMERS.size(), true);
                timer.schedule(new TimerTask() {
                    @Override
                    public void run() {
                        // periodic work nobody cancels
                    }
                }, 1000, 1000);
                TIMERS.add(timer);
                SCHEDULER.scheduleAtFixedRate(() -> { }, 1, 1, TimeUnit.SECONDS);
            }
            return TIMERS.size();
        }
    }

    /** True when this request should fail, per the {@code fail} switch. */
    static boolean shouldFail() {
        double ratio = failRatio;
        return ratio > 0 && ThreadLocalRandom.current().nextDouble() < ratio;
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
