package dev.vigil.agent.trace;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SpanNamesTest {
    private final SpanNames names = new SpanNames();

    @Test
    void aPairIsNamedOnceAndKeptWithinTheBounds() {
        String name = names.of("GET", "/orders");
        assertThat(name).isEqualTo("GET /orders");
        assertThat(names.of("GET", "/orders")).isSameAs(name);
        assertThat(names.of("POST", "/orders")).isEqualTo("POST /orders");

        for (int i = 0; i < SpanNames.MAX_PER_PREFIX + 10; i++) {
            assertThat(names.of("send", "queue-" + i)).isEqualTo("send queue-" + i);
        }
        String beyond = names.of("send", "queue-" + (SpanNames.MAX_PER_PREFIX + 5));
        assertThat(names.of("send", "queue-" + (SpanNames.MAX_PER_PREFIX + 5)))
                .as("beyond the bound a name is built per call").isEqualTo(beyond).isNotSameAs(beyond);

        for (int i = 0; i < SpanNames.MAX_PREFIXES + 5; i++) {
            assertThat(names.of("op" + i, "d")).isEqualTo("op" + i + " d");
        }
    }
}
