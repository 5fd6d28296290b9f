package dev.vigil.sample;

import sun.misc.Signal;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Clean shutdown on SIGTERM/SIGINT: stop accepting requests, let in-flight ones finish within a grace period,
 * close pools and connections in reverse order of creation, exit 0; exit 1 when the grace period runs out.
 */
final class Lifecycle {
    static final int GRACE_SECONDS = 5;

    interface Step {
        void run() throws Exception;
    }

    private final Deque<String> names = new ArrayDeque<>();
    private final Deque<Step> steps = new ArrayDeque<>();

    synchronized void onStop(String name, Step step) {
        names.push(name);
        steps.push(step);
    }

    /** Installs the signal handlers; call once in main. */
    void install() {
        Signal.handle(new Signal("TERM"), s -> stopAndExit());
        Signal.handle(new Signal("INT"), s -> stopAndExit());
    }

    private void stopAndExit() {
        Thread watchdog = new Thread(() -> {
            try {
                Thread.sleep((GRACE_SECONDS * 2L + 2) * 1000);
                System.err.println("shutdown did not finish in time; forcing exit");
                Runtime.getRuntime().halt(1);
            } catch (InterruptedException done) {
                // finished in time
            }
        }, "shutdown-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        synchronized (this) {
            while (!steps.isEmpty()) {
                String name = names.pop();
                try {
                    steps.pop().run();
                } catch (Exception e) {
                    System.err.println("while stopping " + name + ": " + e);
                }
            }
        }
        watchdog.interrupt();
        System.exit(0);
    }
}
