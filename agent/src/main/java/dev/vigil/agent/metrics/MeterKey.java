package dev.vigil.agent.metrics;

import java.util.Objects;

/**
 * What tells one meter of a family from another (its tag values, and the family's name where one map holds
 * several), used to find the meter on the request path without building a string of the tags. Written out rather
 * than a record: a record's {@code hashCode} and {@code equals} go through {@code ObjectMethods}' method handles,
 * and in the CPU profile of the orders service at 40 req/s they were a fifth of the agent's samples on the request
 * threads. Tag values are mostly the same constant or cached strings, so {@code ==} decides most comparisons.
 */
public final class MeterKey {
    private final String a;
    private final String b;
    private final String c;
    private final String d;
    private final String e;
    private final int n;
    private final int m;
    private final int hash;

    /** Up to five string tags and two numeric ones (status code, port); unused ones null or 0. */
    public MeterKey(String a, String b, String c, String d, String e, int n, int m) {
        this.a = a;
        this.b = b;
        this.c = c;
        this.d = d;
        this.e = e;
        this.n = n;
        this.m = m;
        this.hash = hash(a, b, c, d, e, n, m);
    }

    /** The hash of a key with these values, worked out without one. */
    static int hash(String a, String b, String c, String d, String e, int n, int m) {
        int h = 31 * n + m;
        h = 31 * h + Objects.hashCode(a);
        h = 31 * h + Objects.hashCode(b);
        h = 31 * h + Objects.hashCode(c);
        h = 31 * h + Objects.hashCode(d);
        return 31 * h + Objects.hashCode(e);
    }

    /** Whether this key has these values ({@code hash} being theirs). */
    boolean matches(int hash, String a, String b, String c, String d, String e, int n, int m) {
        return this.hash == hash && this.n == n && this.m == m && same(this.a, a) && same(this.b, b)
                && same(this.c, c) && same(this.d, d) && same(this.e, e);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof MeterKey)) {
            return false;
        }
        MeterKey k = (MeterKey) o;
        return k.matches(hash, a, b, c, d, e, n, m);
    }

    private static boolean same(String x, String y) {
        return x == y || x != null && x.equals(y);
    }

    @Override
    public String toString() {
        return "MeterKey[" + a + ", " + b + ", " + c + ", " + d + ", " + e + ", " + n + ", " + m + "]";
    }
}
