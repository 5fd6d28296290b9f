package dev.vigil.agent.db;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A concurrent map keyed by object identity that holds its keys weakly: state the agent keeps for an application
 * object (a statement's SQL, a connection's URL) without adding a field to its class and without keeping it
 * alive. Entries of collected keys are purged on writes. JDBC objects may override {@code equals}/{@code hashCode}
 * (proxies do), so identity is the only safe key. Lock-free reads.
 */
final class WeakIdentityMap<K, V> {
    private final ConcurrentHashMap<Object, V> map = new ConcurrentHashMap<>();
    private final ReferenceQueue<K> queue = new ReferenceQueue<>();

    V get(K key) {
        return key == null ? null : map.get(new Lookup(key));
    }

    void put(K key, V value) {
        if (key == null) {
            return;
        }
        purge();
        map.put(new WeakKey<>(key, queue), value);
    }

    V remove(K key) {
        return key == null ? null : map.remove(new Lookup(key));
    }

    int size() {
        purge();
        return map.size();
    }

    private void purge() {
        Object stale;
        while ((stale = queue.poll()) != null) {
            map.remove(stale);
        }
    }

    private static final class WeakKey<K> extends WeakReference<K> {
        private final int hash;

        WeakKey(K referent, ReferenceQueue<K> queue) {
            super(referent, queue);
            this.hash = System.identityHashCode(referent);
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
            Object mine = get();
            if (mine == null) {
                return false;
            }
            if (other instanceof WeakKey) {
                return ((WeakKey<?>) other).get() == mine;
            }
            return other instanceof Lookup && ((Lookup) other).key == mine;
        }
    }

    /** Probe for lookups: compares with live weak keys by identity. */
    private static final class Lookup {
        final Object key;
        private final int hash;

        Lookup(Object key) {
            this.key = key;
            this.hash = System.identityHashCode(key);
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof WeakKey && ((WeakKey<?>) other).get() == key;
        }
    }
}
