package dev.vigil.agent.trace;

import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A concurrent map keyed by object identity whose keys are held weakly: an entry disappears once its key is
 * garbage, so a task that is queued but never runs (removed, rejected, discarded at shutdown) cannot keep its
 * value alive. Values are held strongly and must not refer to their key.
 *
 * <p>Thread-safe, lock-free on reads (a {@link ConcurrentHashMap} underneath). Stale entries are expunged on
 * every insertion, which costs one volatile read when there are none.
 */
final class WeakIdentityMap<V> {
    private final ConcurrentHashMap<Object, V> map = new ConcurrentHashMap<>();
    private final ReferenceQueue<Object> collected = new ReferenceQueue<>();

    /** Adds {@code value} unless {@code key} is present; returns the value already there, or {@code null}. */
    V putIfAbsent(Object key, V value) {
        expunge();
        return map.putIfAbsent(new WeakKey(key, collected), value);
    }

    V get(Object key) {
        return map.get(new LookupKey(key));
    }

    V remove(Object key) {
        return map.remove(new LookupKey(key));
    }

    boolean isEmpty() {
        return map.isEmpty();
    }

    /** Entries, including ones whose key was collected but not expunged yet. */
    long size() {
        return map.mappingCount();
    }

    void expunge() {
        for (Reference<?> stale; (stale = collected.poll()) != null; ) {
            map.remove(stale);
        }
    }

    private static final class WeakKey extends WeakReference<Object> {
        private final int hash;

        WeakKey(Object key, ReferenceQueue<Object> queue) {
            super(key, queue);
            this.hash = System.identityHashCode(key);
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object other) {
            if (other == this) {
                return true;
            }
            Object key = get();
            if (key == null) {
                return false;
            }
            if (other instanceof LookupKey) {
                return ((LookupKey) other).key == key;
            }
            return other instanceof WeakKey && ((WeakKey) other).get() == key;
        }
    }

    /** Short-lived probe for lookups, so that reads allocate no weak reference. */
    private static final class LookupKey {
        private final Object key;
        private final int hash;

        LookupKey(Object key) {
            this.key = key;
            this.hash = System.identityHashCode(key);
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object other) {
            if (other instanceof WeakKey) {
                return ((WeakKey) other).get() == key;
            }
            return other instanceof LookupKey && ((LookupKey) other).key == key;
        }
    }
}
