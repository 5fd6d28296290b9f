package dev.vigil.agent.runtime.jfr;

import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * Estimates how fast the live set grows: the least-squares slope, in bytes per second, of the post-GC heap floors
 * over a sliding window.
 *
 * <p>Why floors: after a young collection G1's "after GC" heap still holds old garbage, so successive values form a
 * sawtooth whose teeth say nothing about leaks. The window is cut into ten equal slots and only the lowest post-GC
 * value of each slot (with its time) enters the regression, which follows the bottom of the sawtooth. Samples taken
 * during the warm-up (class loading, caches filling) are ignored. Fewer than three floors in the window give
 * {@code NaN} (unknown), as does a window in which no collection happened.
 *
 * <p>Thread-safe (synchronized: one GC event per collection and one read per scrape).
 */
public final class LiveSetTrend {
    static final int SLOTS = 10;
    private static final int MIN_FLOORS = 3;

    private final long windowMillis;
    private final long slotMillis;
    private final long countFromMillis;
    private final long originMillis;
    private final ArrayDeque<Floor> floors = new ArrayDeque<>();

    private static final class Floor {
        final long slot;
        long timeMillis;
        long bytes;

        Floor(long slot, long timeMillis, long bytes) {
            this.slot = slot;
            this.timeMillis = timeMillis;
            this.bytes = bytes;
        }
    }

    /**
     * @param startMillis  when the JVM (or the agent) started, epoch milliseconds
     * @param windowMillis width of the sliding window
     * @param warmupMillis samples before {@code startMillis + warmupMillis} are ignored
     */
    public LiveSetTrend(long startMillis, long windowMillis, long warmupMillis) {
        this.windowMillis = windowMillis;
        this.slotMillis = Math.max(1, windowMillis / SLOTS);
        this.countFromMillis = startMillis + warmupMillis;
        this.originMillis = startMillis;
    }

    /** Records the heap used right after a collection. */
    public synchronized void onHeapAfterGc(long timeMillis, long usedBytes) {
        if (timeMillis < countFromMillis || usedBytes < 0) {
            return;
        }
        long slot = Math.floorDiv(timeMillis - originMillis, slotMillis);
        Floor last = floors.peekLast();
        if (last != null && last.slot == slot) {
            if (usedBytes < last.bytes) {
                last.bytes = usedBytes;
                last.timeMillis = timeMillis;
            }
        } else if (last == null || slot > last.slot) {
            floors.addLast(new Floor(slot, timeMillis, usedBytes));
        }
        // an event older than the newest slot (out-of-order delivery) is dropped: the floor it belongs to is closed
        evict(timeMillis);
    }

    /** Slope of the floors in the window ending at {@code nowMillis}, bytes per second; NaN when unknown. */
    public synchronized double bytesPerSecond(long nowMillis) {
        evict(nowMillis);
        int n = floors.size();
        if (n < MIN_FLOORS) {
            return Double.NaN;
        }
        long t0 = floors.peekFirst().timeMillis;
        double sumX = 0;
        double sumY = 0;
        for (Floor f : floors) {
            sumX += (f.timeMillis - t0) / 1000.0;
            sumY += f.bytes;
        }
        double meanX = sumX / n;
        double meanY = sumY / n;
        double sxx = 0;
        double sxy = 0;
        for (Floor f : floors) {
            double dx = (f.timeMillis - t0) / 1000.0 - meanX;
            sxx += dx * dx;
            sxy += dx * (f.bytes - meanY);
        }
        return sxx == 0 ? Double.NaN : sxy / sxx;
    }

    /** Number of floors currently in the window (for tests and debugging). */
    synchronized int floorCount() {
        return floors.size();
    }

    private void evict(long nowMillis) {
        long oldestSlot = Math.floorDiv(nowMillis - windowMillis - originMillis, slotMillis);
        for (Iterator<Floor> it = floors.iterator(); it.hasNext(); ) {
            if (it.next().slot <= oldestSlot) {
                it.remove();
            } else {
                break;
            }
        }
    }
}
