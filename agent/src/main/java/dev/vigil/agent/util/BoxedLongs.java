package dev.vigil.agent.util;

/**
 * Boxes the few numbers a service's spans repeat (its ports, its status codes) once instead of per span:
 * {@code Long.valueOf} caches only -128 to 127, and a span attribute needs a {@code Long}. A direct-mapped cache of
 * 256 entries: a value evicts whatever shared its slot, so any value is still boxed correctly, only not always
 * reused. Races are benign: a {@code Long} is immutable and safely published through its final field.
 */
public final class BoxedLongs {
    private static final Long[] CACHE = new Long[256];

    private BoxedLongs() {
    }

    public static Long of(long value) {
        int slot = (int) (value ^ (value >>> 32)) & (CACHE.length - 1);
        Long cached = CACHE[slot];
        if (cached != null && cached == value) {
            return cached;
        }
        cached = value;
        CACHE[slot] = cached;
        return cached;
    }
}
