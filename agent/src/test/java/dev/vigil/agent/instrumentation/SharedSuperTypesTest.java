package dev.vigil.agent.instrumentation;

import net.bytebuddy.ByteBuddy;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.pool.TypePool;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static net.bytebuddy.matcher.ElementMatchers.hasSuperType;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class SharedSuperTypesTest {
    /** Counts class-file reads, per resource name. */
    static final class CountingLoader extends ClassLoader {
        final Map<String, AtomicInteger> reads = new ConcurrentHashMap<>();

        CountingLoader() {
            super(SharedSuperTypesTest.class.getClassLoader());
        }

        @Override
        public InputStream getResourceAsStream(String name) {
            reads.computeIfAbsent(name, n -> new AtomicInteger()).incrementAndGet();
            return super.getResourceAsStream(name);
        }

        int reads(Class<?> type) {
            AtomicInteger count = reads.get(type.getName().replace('.', '/') + ".class");
            return count == null ? 0 : count.get();
        }
    }

    /** The pool Byte Buddy gets for a class file it is about to transform. */
    private static TypePool poolForTransforming(SharedSuperTypes pools, String name, byte[] bytes, ClassLoader loader) {
        return pools.typePool(new ClassFileLocator.Compound(ClassFileLocator.Simple.of(name, bytes),
                ClassFileLocator.ForClassLoader.of(loader)), loader, name);
    }

    @Test
    void superTypesAreReadOncePerLoaderNotOncePerTransformedClass() {
        SharedSuperTypes pools = new SharedSuperTypes();
        CountingLoader loader = new CountingLoader();
        for (int i = 0; i < 3; i++) {
            String name = "dev.vigil.test.Generated" + i;
            byte[] bytes = new ByteBuddy().subclass(ArrayList.class).name(name).make().getBytes();
            TypeDescription type = poolForTransforming(pools, name, bytes, loader).describe(name).resolve();
            assertThat(hasSuperType(named(List.class.getName())).matches(type)).isTrue();
            assertThat(hasSuperType(named("java.sql.Connection")).matches(type)).isFalse();
        }
        assertThat(loader.reads(ArrayList.class)).isEqualTo(1);
        assertThat(loader.reads(AbstractList.class)).isEqualTo(1);
        assertThat(loader.reads(Object.class)).isEqualTo(1);
    }

    @Test
    void theCachesAreEmptiedOnceClassLoadingHasCalmedDown() {
        SharedSuperTypes pools = new SharedSuperTypes();
        CountingLoader loader = new CountingLoader();
        String name = "dev.vigil.test.Generated";
        byte[] bytes = new ByteBuddy().subclass(ArrayList.class).name(name).make().getBytes();
        assertThat(hasSuperType(named(List.class.getName())).matches(
                poolForTransforming(pools, name, bytes, loader).describe(name).resolve())).isTrue();
        for (int i = 1; i < SharedSuperTypes.BUSY_CLASSES; i++) {
            poolForTransforming(pools, name, bytes, loader).describe(name).resolve();
        }
        pools.clearIfIdle(); // classes are loading: kept
        assertThat(hasSuperType(named(List.class.getName())).matches(
                poolForTransforming(pools, name, bytes, loader).describe(name).resolve())).isTrue();
        assertThat(loader.reads(ArrayList.class)).isEqualTo(1);
        pools.clearIfIdle(); // one class since: loading is over, emptied
        assertThat(hasSuperType(named(List.class.getName())).matches(
                poolForTransforming(pools, name, bytes, loader).describe(name).resolve())).isTrue();
        assertThat(loader.reads(ArrayList.class)).isEqualTo(2);
    }

    @Test
    void theTransformedClassIsDescribedFromTheBytesTheJvmHandedOver() {
        SharedSuperTypes pools = new SharedSuperTypes();
        CountingLoader loader = new CountingLoader();
        // this test class's own name, but other bytes: what a class file transformer upstream might have produced
        String name = SharedSuperTypesTest.class.getName();
        byte[] bytes = new ByteBuddy().subclass(ArrayList.class).name(name).make().getBytes();
        TypeDescription type = poolForTransforming(pools, name, bytes, loader).describe(name).resolve();
        assertThat(type.getSuperClass().asErasure().getName()).isEqualTo(ArrayList.class.getName());
        assertThat(loader.reads(SharedSuperTypesTest.class)).isZero();
        // and it is not cached as a super type: another class extending it would see the loader's class file
        assertThat(pools.poolOf(loader).describe(name).resolve().getSuperClass().asErasure().getName())
                .isEqualTo(Object.class.getName());
    }

    @Test
    void aTypeNotFoundIsLookedUpAgainLater() {
        SharedSuperTypes pools = new SharedSuperTypes();
        CountingLoader loader = new CountingLoader();
        assertThat(pools.poolOf(loader).describe("dev.vigil.test.Missing").isResolved()).isFalse();
        assertThat(pools.poolOf(loader).describe("dev.vigil.test.Missing").isResolved()).isFalse();
        assertThat(loader.reads.get("dev/vigil/test/Missing.class").get()).isEqualTo(2);
    }

    @Test
    void eachLoaderCacheIsBounded() {
        SharedSuperTypes.Bounded cache = new SharedSuperTypes.Bounded();
        for (int i = 0; i <= SharedSuperTypes.MAX_TYPES_PER_LOADER * 2; i++) {
            cache.register("T" + i, new TypePool.Resolution.Simple(TypeDescription.ForLoadedType.of(Object.class)));
            assertThat(cache.size()).isLessThanOrEqualTo(SharedSuperTypes.MAX_TYPES_PER_LOADER);
        }
        assertThat(cache.find("T" + SharedSuperTypes.MAX_TYPES_PER_LOADER * 2)).isNotNull();
    }

    @Test
    void aDiscardedLoaderIsCollectedWithItsPool() {
        SharedSuperTypes pools = new SharedSuperTypes();
        CountingLoader loader = new CountingLoader();
        assertThat(pools.poolOf(loader).describe(ArrayList.class.getName()).resolve().getSuperClass()).isNotNull();
        WeakReference<ClassLoader> collected = new WeakReference<>(loader);
        loader = null;
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            System.gc();
            return collected.get() == null;
        });
        assertThat(pools).isNotNull(); // the pools, still reachable, did not keep the loader alive
    }
}
