package dev.vigil.agent.trace;

import org.junit.jupiter.api.Test;

import java.time.Duration;

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
}
