package dev.vigil.agent.util;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.ArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class WeakIdentityMapTest {
    @Test
    void keysAreComparedByIdentityNotEquality() {
        WeakIdentityMap<String> map = new WeakIdentityMap<>();
        String a = new String("task");
        String b = new String("task");
        map.putIfAbsent(a, "A");
        assertThat(map.get(b)).isNull();
        assertThat(map.putIfAbsent(b, "B")).isNull();
        assertThat(map.get(a)).isEqualTo("A");
        assertThat(map.remove(b)).isEqualTo("B");
        assertThat(map.remove(b)).isNull();
        assertThat(map.size()).isEqualTo(1);
    }

    @Test
    void theFirstValueWinsUntilRemoved() {
        WeakIdentityMap<String> map = new WeakIdentityMap<>();
        Object key = new Object();
        assertThat(map.putIfAbsent(key, "first")).isNull();
        assertThat(map.putIfAbsent(key, "second")).isEqualTo("first");
        assertThat(map.remove(key)).isEqualTo("first");
        assertThat(map.isEmpty()).isTrue();
    }

    @Test
    void entriesGoAwayWithTheirKeys() {
        WeakIdentityMap<String> map = new WeakIdentityMap<>();
        for (int i = 0; i < 1000; i++) {
            map.putIfAbsent(new Object(), "value");
        }
        Object kept = new Object();
        map.putIfAbsent(kept, "kept");
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            System.gc();
            map.expunge();
            return map.size() == 1;
        });
        assertThat(map.get(kept)).isEqualTo("kept");
    }

    /** Keys whose equals/hashCode say "all equal", as a careless proxy might. */
    static final class Careless {
        @Override
        public boolean equals(Object o) {
            return o instanceof Careless;
        }

        @Override
        public int hashCode() {
            return 1;
        }
    }

    @Test
    void carelessEqualsDoesNotMatter() {
        WeakIdentityMap<String> map = new WeakIdentityMap<>();
        Careless a = new Careless();
        Careless b = new Careless();
        map.put(a, "a");
        map.put(b, "b");
        assertThat(map.get(a)).isEqualTo("a");
        assertThat(map.get(b)).isEqualTo("b");
        assertThat(map.get(new Careless())).isNull();
        assertThat(map.remove(a)).isEqualTo("a");
        assertThat(map.get(a)).isNull();
        assertThat(map.get(null)).isNull();
    }

    @Test
    void doesNotKeepKeysAlive() {
        WeakIdentityMap<String> map = new WeakIdentityMap<>();
        List<Object> kept = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            Object key = new Object();
            if (i % 100 == 0) {
                kept.add(key);
            }
            map.put(key, "v" + i);
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            System.gc();
            map.expunge();
            return map.size() == kept.size();
        });
        for (Object key : kept) {
            assertThat(map.get(key)).isNotNull();
        }
    }

    @Test
    void lookupsOnAPlatformThreadAllocateNothing() {
        WeakIdentityMap<String> map = new WeakIdentityMap<>();
        Object present = new Object();
        map.put(present, "value");
        Object absent = new Object();
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().getId();
        for (int i = 0; i < 20_000; i++) { // past the first thread-local set-up
            map.get(absent);
            map.remove(absent);
        }
        long before = threads.getThreadAllocatedBytes(id);
        int found = 0;
        for (int i = 0; i < 100_000; i++) {
            found += map.get(present) != null ? 1 : 0;
            found += map.remove(absent) == null ? 1 : 0;
        }
        long allocated = threads.getThreadAllocatedBytes(id) - before;

        assertThat(found).isEqualTo(200_000);
        // a probe object per lookup would be 200,000 x 24 bytes = 4.8 MB
        assertThat(allocated).isLessThan(100_000);
    }
}
