package dev.vigil.agent.leak;

import dev.vigil.agent.AgentThreads;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class LeakRegistryTest {
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final LeakRegistry registry = new LeakRegistry(meters, new dev.vigil.exporters.AgentScheduler(new AgentThreads("test-leak")), () -> 1_000_000L);

    private double suspected(String site) {
        return meters.get(LeakRegistry.SUSPECTED).tag("kind", "connection").tag("site", site).gauge().value();
    }

    @Test
    void gaugeCountsSuspectsPerSiteAndStaysAtZeroOnceCleared() {
        Suspect a = registry.report("connection", "com.example.A.m", "held", List.of("x.Y.z(Y.java:1)"), 940_000L);
        Suspect b = registry.report("connection", "com.example.A.m", "held", List.of(), 990_000L);
        assertThat(suspected("com.example.A.m")).isEqualTo(2.0);
        registry.clear(a, "returned after 61 s");
        registry.clear(a, "again"); // idempotent
        assertThat(suspected("com.example.A.m")).isEqualTo(1.0);
        registry.clear(b, "returned");
        assertThat(suspected("com.example.A.m")).isEqualTo(0.0);
        assertThat(registry.suspects()).isEmpty();
    }

    @Test
    void jsonListsCurrentSuspectsWithEscapedText() {
        registry.report("connection", "com.example.A.m", "taken on thread \"main\"", List.of("a.B.c(B.java:3)"), 940_000L);
        assertThat(registry.json()).isEqualTo("{\"suspects\":[{\"kind\":\"connection\",\"site\":\"com.example.A.m\","
                + "\"description\":\"taken on thread \\\"main\\\"\",\"since\":\"1970-01-01T00:15:40Z\",\"ageSeconds\":60,"
                + "\"stack\":[\"a.B.c(B.java:3)\"]}]}");
    }

    @Test
    void sitesAreCappedPerKind() {
        for (int i = 0; i < LeakRegistry.MAX_SITES_PER_KIND + 5; i++) {
            registry.report("connection", "com.example.C.m" + i, "held", List.of(), 0);
        }
        assertThat(meters.find(LeakRegistry.SUSPECTED).gauges()).hasSize(LeakRegistry.MAX_SITES_PER_KIND + 1);
        assertThat(suspected("other")).isEqualTo(5.0);
    }

    @Test
    void collectedResourcesAreCountedAndLeaveTheListing() {
        Suspect s = registry.report("connection", "com.example.A.m", "held", List.of(), 0);
        registry.collected("connection", "com.example.A.m", s, "collected", List.of());
        registry.collected("connection", "com.example.B.m", null, "collected", List.of("b.C.d(C.java:1)"));
        assertThat(registry.suspects()).isEmpty();
        assertThat(suspected("com.example.A.m")).isEqualTo(0.0);
        assertThat(meters.get(LeakRegistry.COLLECTED).tag("site", "com.example.A.m").counter().count()).isEqualTo(1.0);
        assertThat(meters.get(LeakRegistry.COLLECTED).tag("site", "com.example.B.m").counter().count()).isEqualTo(1.0);
    }
}
