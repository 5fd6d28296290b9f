package dev.vigil.agent.instrumentation;

import dev.vigil.agent.log.AgentLog;
import dev.vigil.agent.util.WeakIdentityMap;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.pool.TypePool;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Type pools whose super-type descriptions are shared by every class a loader defines, so that
 * {@code hasSuperType(...)} matchers read and parse {@code java.lang.Object}, {@code java.io.Serializable} and an
 * application's common base classes once per loader instead of once per loaded class. Byte Buddy's default pool is
 * new for every class file: measured on the sample app, resolving super types (a class-file read and parse each)
 * was four fifths of the agent's cost per loaded class and most of its start-up cost.
 *
 * <p>The class being transformed is always described from the bytes the JVM handed over, never from the shared
 * pool (parent-first lookup would read its class file a second time) and is not cached. Shared pools locate class
 * files through a weakly referenced loader and sit in a weak-keyed map: a discarded class loader is collected
 * with its pool. Each cache holds at most {@link #MAX_TYPES_PER_LOADER} descriptions and is emptied when full, so
 * memory stays bounded whatever the application loads. A type not found is not cached (it may appear later).
 * Thread-safe.
 */
final class SharedSuperTypes implements AgentBuilder.PoolStrategy {
    static final int MAX_TYPES_PER_LOADER = 2_000;

    private final WeakIdentityMap<TypePool> pools = new WeakIdentityMap<>();
    private final TypePool bootPool = sharedPool(null);
    /**
     * Below this many class files described since the last check, the start-up burst is over (on the sample app's
     * orders service, where only {@link CandidateFilter}'s candidates are described: ≈ 170 in the first 30 s, then
     * none while it serves): the caches go. A trickle of new classes re-reads a few super types, which costs less
     * than keeping every description.
     */
    static final int BUSY_CLASSES = 50;
    /** Class files described since the last {@link #clearIfIdle()} (a racy count: a heuristic, not a tally). */
    private volatile int describedSinceCheck;

    /**
     * Byte Buddy's default pool: this variant serves advice classes (found through the agent's loader, which a
     * shared pool consulted first would look for in vain in the application's loader every time) and the
     * retransformation of loaded classes (described by reflection).
     */
    @Override
    public TypePool typePool(ClassFileLocator classFileLocator, ClassLoader classLoader) {
        return AgentBuilder.PoolStrategy.Default.FAST.typePool(classFileLocator, classLoader);
    }

    /** Used for every class file the JVM is about to define, the place where super-type matching costs. */

    @Override
    public TypePool typePool(ClassFileLocator classFileLocator, ClassLoader classLoader, String name) {
        describedSinceCheck++;
        return new TypePool.Default.WithLazyResolution(new TypePool.CacheProvider.Simple(), classFileLocator,
                TypePool.Default.ReaderMode.FAST, new Except(name, poolOf(classLoader)));
    }

    /**
     * Empties every shared cache unless {@value #BUSY_CLASSES} class files or more were described since the last
     * call: the descriptions are worth
     * their memory while classes load (start-up, a new feature's first use), not afterwards (on the sample app's
     * orders service ≈ 700 descriptions with 15,000 method tokens and 100,000 small maps, ≈ 20 MB of live heap).
     * Called periodically by the agent's scheduler; a class loaded later fills the caches again.
     */
    void clearIfIdle() {
        int described = describedSinceCheck;
        describedSinceCheck = 0;
        AgentLog.debug("super-type descriptions: " + described + " class files described in the period"
                + (described >= BUSY_CLASSES ? ", kept" : ", let go"));
        if (described >= BUSY_CLASSES) {
            return;
        }
        bootPool.clear();
        pools.forEach((loader, pool) -> pool.clear());
    }

    /** The shared pool of {@code loader}; parent of the per-class pools, so consulted first. */
    TypePool poolOf(ClassLoader loader) {
        if (loader == null) {
            return bootPool;
        }
        TypePool pool = pools.get(loader);
        if (pool == null) {
            TypePool created = sharedPool(loader);
            pool = pools.putIfAbsent(loader, created);
            if (pool == null) {
                pool = created;
            }
        }
        return pool;
    }

    private static TypePool sharedPool(ClassLoader loader) {
        return new TypePool.Default.WithLazyResolution(
                TypePool.CacheProvider.WithIllegalResolutionReattempt.of(new Bounded()),
                ClassFileLocator.ForClassLoader.WeaklyReferenced.of(loader), TypePool.Default.ReaderMode.FAST);
    }

    /** The shared pool, except for the class being transformed: that one is left to the per-class pool. */
    private static final class Except implements TypePool {
        private final String name;
        private final TypePool shared;

        Except(String name, TypePool shared) {
            this.name = name;
            this.shared = shared;
        }

        @Override
        public Resolution describe(String typeName) {
            return typeName.equals(name) ? new Resolution.Illegal(typeName) : shared.describe(typeName);
        }

        @Override
        public void clear() {
            // the shared pool outlives one transformation
        }
    }

    /** A cache emptied when it reaches {@link #MAX_TYPES_PER_LOADER} entries. */
    static final class Bounded implements TypePool.CacheProvider {
        private final ConcurrentMap<String, TypePool.Resolution> storage = new ConcurrentHashMap<>();

        @Override
        public TypePool.Resolution find(String name) {
            return storage.get(name);
        }

        @Override
        public TypePool.Resolution register(String name, TypePool.Resolution resolution) {
            if (storage.size() >= MAX_TYPES_PER_LOADER) {
                storage.clear();
            }
            TypePool.Resolution known = storage.putIfAbsent(name, resolution);
            return known == null ? resolution : known;
        }

        @Override
        public void clear() {
            storage.clear();
        }

        int size() {
            return storage.size();
        }
    }
}
