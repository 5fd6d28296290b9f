package dev.vigil.agent.leak;

import java.util.List;

/**
 * One suspected leak, as listed at {@code /vigil/leaks}: its kind ({@code connection}, later {@code listener},
 * {@code timer}, {@code heap}), its bounded site (the first application frame, {@code Class.method}), a one-line
 * description, the stack that created the leaked resource (at most {@link LeakRegistry#MAX_FRAMES} frames), and
 * when the resource was acquired and when it became a suspect (epoch milliseconds). Immutable.
 */
public final class Suspect {
    final long id;
    final String kind;
    final String site;
    final String description;
    final List<String> stack;
    final long sinceEpochMillis;
    final long reportedEpochMillis;

    Suspect(long id, String kind, String site, String description, List<String> stack, long sinceEpochMillis,
            long reportedEpochMillis) {
        this.id = id;
        this.kind = kind;
        this.site = site;
        this.description = description;
        this.stack = stack;
        this.sinceEpochMillis = sinceEpochMillis;
        this.reportedEpochMillis = reportedEpochMillis;
    }

    public String kind() {
        return kind;
    }

    /** The metric's {@code site} tag (possibly {@code other} when the kind has too many sites). */
    public String site() {
        return site;
    }

    public String description() {
        return description;
    }

    public List<String> stack() {
        return stack;
    }

    public long sinceEpochMillis() {
        return sinceEpochMillis;
    }
}
