package dev.vigil.bridge;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Receives every exception thrown inside advice (Byte Buddy's exception handler calls {@link #record}), so that
 * an agent bug is counted and reported once instead of reaching the application.
 */
public final class AdviceErrors {
    private static final AtomicLong COUNT = new AtomicLong();
    /** Installed by the agent to log the first occurrence; receives every error. Never null. */
    public static volatile java.util.function.Consumer<Throwable> listener = new java.util.function.Consumer<Throwable>() {
        @Override
        public void accept(Throwable t) {
        }
    };

    private AdviceErrors() {
    }

    public static void record(Throwable error) {
        COUNT.incrementAndGet();
        try {
            listener.accept(error);
        } catch (Throwable ignored) {
            // the listener must never throw into the application
        }
    }

    public static long count() {
        return COUNT.get();
    }
}
