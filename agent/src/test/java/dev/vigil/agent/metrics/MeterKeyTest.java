package dev.vigil.agent.metrics;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class MeterKeyTest {
    @Test
    void equalTagsFindTheSameMeter() {
        MeterKey a = new MeterKey("GET", "/orders", new String("http"), null, null, 200, 0);
        MeterKey b = new MeterKey("GET", "/orders", "http", null, null, 200, 0);
        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        Map<MeterKey, String> meters = new HashMap<>();
        meters.put(a, "timer");
        assertThat(meters.get(b)).isEqualTo("timer");
    }

    @Test
    void anyDifferentTagIsAnotherMeter() {
        MeterKey base = new MeterKey("a", "b", "c", "d", "e", 1, 2);
        List<MeterKey> others = List.of(new MeterKey("x", "b", "c", "d", "e", 1, 2),
                new MeterKey("a", "x", "c", "d", "e", 1, 2), new MeterKey("a", "b", "x", "d", "e", 1, 2),
                new MeterKey("a", "b", "c", "x", "e", 1, 2), new MeterKey("a", "b", "c", "d", "x", 1, 2),
                new MeterKey("a", "b", "c", "d", "e", 9, 2), new MeterKey("a", "b", "c", "d", "e", 1, 9),
                new MeterKey("a", "b", "c", "d", null, 1, 2), new MeterKey(null, "b", "c", "d", "e", 1, 2),
                // the two numbers are not interchangeable (port 200 / status 80 against port 80 / status 200)
                new MeterKey("a", "b", "c", "d", "e", 2, 1));
        for (MeterKey other : others) {
            assertThat(base).as(other.toString()).isNotEqualTo(other);
            assertThat(other).as(other.toString()).isNotEqualTo(base);
        }
    }
}
