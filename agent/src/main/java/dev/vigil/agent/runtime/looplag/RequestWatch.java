package dev.vigil.agent.runtime.looplag;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.WeakReference;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Which request threads are inside an HTTP server request, and since when, for blocked-request detection
 * ({@code vigil.eventloop.blocked{source=request}}). The HTTP server telemetry calls {@link #enter}/{@link #exit} on
 * the request thread; the checker thread reads the slots.
 *
 * <p>Hot path: one {@code ThreadLocal} read and one release store, no allocation after a thread's first request.
 * Each thread has one slot, registered once and dropped by {@link #forEachBusy} when the thread is gone. Nested
 * server spans on one thread count as one request (the outer one). When disabled both calls return at once.
 */
public final class RequestWatch {
    static final long IDLE = Long.MIN_VALUE;
    private static final VarHandle START;

    static {
        try {
            START = MethodHandles.lookup().findVarHandle(Slot.class, "startNanos", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** One request thread. */
    static final class Slot {
        final WeakReference<Thread> thread;
        volatile long startNanos = IDLE;
        int depth;                // request thread only
        long reportedStartNanos = IDLE; // checker thread only

        Slot(Thread thread) {
            this.thread = new WeakReference<>(thread);
        }

        /** True the first time one request (one start time) is reported. */
        boolean firstReportOf(long start) {
            if (start == reportedStartNanos) {
                return false;
            }
            reportedStartNanos = start;
            return true;
        }
    }

    private final boolean enabled;
    private final Set<Slot> slots = ConcurrentHashMap.newKeySet();
    private final ThreadLocal<Slot> local = ThreadLocal.withInitial(this::register);

    public RequestWatch(boolean enabled) {
        this.enabled = enabled;
    }

    private Slot register() {
        Slot slot = new Slot(Thread.currentThread());
        slots.add(slot);
        return slot;
    }

    /** A server request starts on this thread at {@code startNanos} ({@code System.nanoTime()}). */
    public void enter(long startNanos) {
        if (!enabled) {
            return;
        }
        Slot slot = local.get();
        if (slot.depth++ == 0) {
            START.setRelease(slot, startNanos == IDLE ? startNanos + 1 : startNanos);
        }
    }

    /** The request this thread was serving ended, or left the thread (asynchronous servlet). */
    public void exit() {
        if (!enabled) {
            return;
        }
        Slot slot = local.get();
        if (slot.depth > 0 && --slot.depth == 0) {
            START.setRelease(slot, IDLE);
        }
    }

    /** Calls {@code busy} for each slot inside a request; forgets the slots of threads that ended. */
    void forEachBusy(Consumer<Slot> busy) {
        for (Slot slot : slots) {
            Thread t = slot.thread.get();
            if (t == null || !t.isAlive()) {
                slots.remove(slot);
            } else if (slot.startNanos != IDLE) {
                busy.accept(slot);
            }
        }
    }

    int threads() {
        return slots.size();
    }
}
