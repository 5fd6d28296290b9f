package dev.vigil.testapps.leak;

import com.sun.net.httpserver.HttpServer;

import java.beans.PropertyChangeListener;
import java.beans.PropertyChangeSupport;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Timer;
import java.util.TimerTask;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Leaks on purpose, every 100 ms until {@code /release}: ten property-change listeners ({@link #subscribe}), a
 * periodic {@code TimerTask} ({@link #startPolling}) and a periodic executor task ({@link #startHeartbeat}); and
 * adds and removes one listener ({@link #balanced}), which is not a leak. {@code /release} stops and undoes it
 * all. Prints {@code READY <port>}.
 */
public final class LeakApp {
    static final PropertyChangeSupport MODEL = new PropertyChangeSupport(new Object());
    static final Timer TIMER = new Timer("polling", true);
    static final ScheduledExecutorService SCHEDULER = Executors.newScheduledThreadPool(1);
    static final List<PropertyChangeListener> LISTENERS = new ArrayList<>();
    static final List<TimerTask> TASKS = new ArrayList<>();
    static final List<ScheduledFuture<?>> FUTURES = new ArrayList<>();
    static volatile boolean leaking = true;

    private LeakApp() {
    }

    public static void main(String[] args) throws Exception {
        Thread leaker = new Thread(() -> {
            while (leaking) {
                synchronized (LISTENERS) {
                    subscribe();
                    startPolling();
                    startHeartbeat();
                    balanced();
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "leaker");
        leaker.setDaemon(true);
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 10);
        server.createContext("/release", exchange -> {
            leaking = false;
            synchronized (LISTENERS) {
                LISTENERS.forEach(MODEL::removePropertyChangeListener);
                TASKS.forEach(TimerTask::cancel);
                FUTURES.forEach(f -> f.cancel(false));
                LISTENERS.clear();
                TASKS.clear();
                FUTURES.clear();
            }
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.start();
        leaker.start();
        System.out.println("READY " + server.getAddress().getPort());
    }

    static void subscribe() {
        for (int i = 0; i < 10; i++) {
            PropertyChangeListener listener = event -> { };
            MODEL.addPropertyChangeListener(listener);
            LISTENERS.add(listener);
        }
    }

    static void startPolling() {
        TimerTask task = new TimerTask() {
            @Override
            public void run() {
            }
        };
        TIMER.schedule(task, 60_000, 60_000);
        TASKS.add(task);
    }

    static void startHeartbeat() {
        FUTURES.add(SCHEDULER.scheduleAtFixedRate(() -> { }, 60, 60, TimeUnit.SECONDS));
    }

    static void balanced() {
        PropertyChangeListener listener = event -> { };
        MODEL.addPropertyChangeListener("state", listener);
        MODEL.removePropertyChangeListener("state", listener);
    }
}
