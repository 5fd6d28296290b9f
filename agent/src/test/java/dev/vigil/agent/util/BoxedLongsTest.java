package dev.vigil.agent.util;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BoxedLongsTest {
    @Test
    void aRepeatedValueIsBoxedOnceAndEveryValueComesBackRight() {
        Long port = BoxedLongs.of(18081);
        assertThat(BoxedLongs.of(18081)).isSameAs(port);
        assertThat(BoxedLongs.of(200)).isEqualTo(200L);
        for (long v = -1000; v < 70_000; v += 7) { // values sharing a slot evict each other, never mix up
            assertThat(BoxedLongs.of(v)).isEqualTo(v);
        }
        assertThat(BoxedLongs.of(Long.MAX_VALUE)).isEqualTo(Long.MAX_VALUE);
        assertThat(BoxedLongs.of(Long.MIN_VALUE)).isEqualTo(Long.MIN_VALUE);
    }
}
