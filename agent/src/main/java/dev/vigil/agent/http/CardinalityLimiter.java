package dev.vigil.agent.http;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Bounds the distinct values of one metric tag: the first {@code max} values pass, later new values become
 * {@code other}. Lock-free; the set only grows to {@code max}.
 */
public final class CardinalityLimiter {
    public static final String OTHER = "other";
    private final Set<String> seen = ConcurrentHashMap.newKeySet();
    private final int max;

    public CardinalityLimiter(int max) {
        this.max = max;
    }

    public String limit(String value) {
        if (value == null || seen.contains(value)) {
            return value;
        }
        if (seen.size() < max) {
            seen.add(value);
            return value;
        }
        return OTHER;
    }
}
