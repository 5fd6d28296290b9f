package dev.vigil.agent.db;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class WeakIdentityMapTest {
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
    void comparesByIdentity() {
        WeakIdentityMap<Object, String> map = new WeakIdentityMap<>();
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
        WeakIdentityMap<Object, String> map = new WeakIdentityMap<>();
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
            return map.size() == kept.size();
        });
        for (Object key : kept) {
            assertThat(map.get(key)).isNotNull();
        }
    }
}
