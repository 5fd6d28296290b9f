package dev.vigil.agent.util;

import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * A concurrent map keyed by object identity whose keys are held weakly: state the agent keeps for an application
 * object (a task's captured context, a statement's SQL, a connection's URL) without adding a field to its class
 * and without keeping it alive. Identity, not {@code equals}, because application objects may override it (JDBC
 * proxies do). An entry disappears once its key is garbage; values are held strongly and must not refer to their
 * key. A {@code null} key is never stored and never found.
 *
 * <p>Thread-safe, lock-free on reads (a {@link ConcurrentHashMap} underneath). Stale entries are expunged on
 * every insertion, which costs one volatile read when there are none.
 */
public final class WeakIdentityMap<V> {
    private final ConcurrentHashMap<Object, V> map = new ConcurrentHashMap<>();
    private final ReferenceQueue<Object> collected = new ReferenceQueue<>();
    private final Consumer<? super V> onCollected;

    public WeakIdentityMap() {
        this(null);
    }

    /**
     * @param onCollected receives the value of every entry dropped because its key was collected, on whichever
     *                    thread expunges (an inserting application thread too): it must be cheap and never throw
     */
    public WeakIdentityMap(Consumer<? super V> onCollected) {
        this.onCollected = onCollected;
    }

    /** Adds {@code value} unless {@code key} is present; returns the value already there, or {@code null}. */
    public V putIfAbsent(Object key, V value) {
        if (key == null) {
            return null;
        }
        expunge();
        return map.putIfAbsent(new WeakKey(key, collected), value);
    }

    /** Adds or replaces the value of {@code key}. */
    public void put(Object key, V value) {
        if (key == null) {
            return;
        }
        expunge();
        map.put(new WeakKey(key, collected), value);
    }

    public V get(Object key) {
        if (key == null) {
            return null;
        }
        LookupKey probe = probe().of(key);
        try {
            return map.get(probe);
        } finally {
            probe.clear();
        }
    }

    public V remove(Object key) {
        if (key == null) {
            return null;
        }
        LookupKey probe = probe().of(key);
        try {
            return map.remove(probe);
        } finally {
            probe.clear();
        }
    }

    public boolean isEmpty() {
        return map.isEmpty();
    }

    /** Entries, including ones whose key was collected but not expunged yet: call {@link #expunge()} first for an exact count. */
    public long size() {
        return map.mappingCount();
    }

    /** Drops the entries whose keys were collected (handing their values to the constructor's consumer). */
    public void expunge() {
        for (Reference<?> stale; (stale = collected.poll()) != null; ) {
            V value = map.remove(stale);
            if (value != null && onCollected != null) {
                onCollected.accept(value);
            }
        }
    }

    /** Calls {@code action} for every entry whose key is still alive; weakly consistent, like the map underneath. */
    public void forEach(BiConsumer<Object, ? super V> action) {
        map.forEach((key, value) -> {
            Object alive = ((WeakKey) key).get();
            if (alive != null) {
                action.accept(alive, value);
            }
        });
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

    /**
     * One reusable probe per thread: lookups run on every task a pool worker starts (context propagation) and on
     * every JDBC call, and a fresh probe per lookup escapes into {@link ConcurrentHashMap} (too large to inline),
     * so it was a real allocation each time. The probe is cleared after each use so that it never keeps an
     * application object alive; a lookup never re-enters the map on the same thread, so one probe is enough.
     */
    private static final ThreadLocal<LookupKey> PROBE = ThreadLocal.withInitial(LookupKey::new);
    /** {@code java.lang.VirtualThread} (null before 21): a thread-local there would cost more than it saves. */
    private static final Class<?> VIRTUAL_THREAD = virtualThreadClass();

    private static LookupKey probe() {
        return Thread.currentThread().getClass() == VIRTUAL_THREAD ? new LookupKey() : PROBE.get();
    }

    private static Class<?> virtualThreadClass() {
        try {
            return Class.forName("java.lang.VirtualThread", false, null);
        } catch (ClassNotFoundException | LinkageError e) {
            return null;
        }
    }

    /** Lookup probe: matches the {@link WeakKey} of the same object, allocates no weak reference. */
    private static final class LookupKey {
        private Object key;
        private int hash;

        LookupKey of(Object key) {
            this.key = key;
            this.hash = System.identityHashCode(key);
            return this;
        }

        void clear() {
            key = null;
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
