package dev.vigil.agent.metrics;

import java.util.function.Supplier;

/**
 * Meters of one family by their tag values ({@link MeterKey}'s five strings and two ints), found without building
 * a key: the request path looked its timer up in a {@code ConcurrentHashMap} with a new {@code MeterKey} for every
 * request and span end (≈ 0.1 KB per request on the orders service). Only a meter not seen before allocates.
 *
 * <p>Open addressing over an array of immutable entries. Readers take no lock: an entry is fully built before it
 * is stored (its fields are final), and a reader that misses a concurrent insertion falls through to {@link #add},
 * which looks again under the lock. Growing copies the entries into a new array published through a volatile
 * field. The families' cardinality limiters bound the size.
 */
public final class MeterTable<V> {
    private record Entry<V>(MeterKey key, V value) {
    }

    private volatile Entry<?>[] slots = new Entry<?>[16];
    private int size; // guarded by this

    /** The meter for these tag values, or null if none was added yet. */
    @SuppressWarnings("unchecked")
    public V get(String a, String b, String c, String d, String e, int n, int m) {
        int hash = MeterKey.hash(a, b, c, d, e, n, m);
        Entry<?>[] table = slots;
        int mask = table.length - 1;
        for (int i = slot(hash, mask); ; i = (i + 1) & mask) {
            Entry<?> entry = table[i];
            if (entry == null) {
                return null;
            }
            if (entry.key.matches(hash, a, b, c, d, e, n, m)) {
                return (V) entry.value;
            }
        }
    }

    /** The meter for {@code key}: the one already there, else the one {@code create} makes (once). */
    @SuppressWarnings("unchecked")
    public synchronized V add(MeterKey key, Supplier<V> create) {
        Entry<?>[] table = slots;
        int mask = table.length - 1;
        int i = slot(key.hashCode(), mask);
        for (Entry<?> entry; (entry = table[i]) != null; i = (i + 1) & mask) {
            if (entry.key.equals(key)) {
                return (V) entry.value;
            }
        }
        V value = create.get();
        if ((size + 1) * 2 > table.length) { // at most half full: probes stay short, a miss ends at an empty slot
            slots = grown(table, new Entry<>(key, value));
        } else {
            table[i] = new Entry<>(key, value);
        }
        size++;
        return value;
    }

    private static Entry<?>[] grown(Entry<?>[] table, Entry<?> added) {
        Entry<?>[] bigger = new Entry<?>[table.length * 2];
        for (Entry<?> entry : table) {
            if (entry != null) {
                place(bigger, entry);
            }
        }
        place(bigger, added);
        return bigger;
    }

    private static void place(Entry<?>[] table, Entry<?> entry) {
        int mask = table.length - 1;
        int i = slot(entry.key.hashCode(), mask);
        while (table[i] != null) {
            i = (i + 1) & mask;
        }
        table[i] = entry;
    }

    /** The first slot to probe: the hash's high bits folded in, as small tables use only the low ones. */
    private static int slot(int hash, int mask) {
        return (hash ^ (hash >>> 16)) & mask;
    }

    /** Meters added so far. */
    public synchronized int size() {
        return size;
    }
}
