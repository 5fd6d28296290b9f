package dev.vigil.agent.instrumentation;

import net.bytebuddy.description.type.TypeDescription;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.net.URLClassLoader;
import java.util.concurrent.ForkJoinPool;

import static org.assertj.core.api.Assertions.assertThat;

class WovenAtLoadTest {
    final Instrumenter.WovenAtLoad woven = new Instrumenter.WovenAtLoad();
    final TypeDescription pool = TypeDescription.ForLoadedType.of(ForkJoinPool.class);
    final ClassLoader app = getClass().getClassLoader();

    @Test
    void aClassWovenAsItLoadedDuringTheInstallationIsNotWovenAgainByItsPass() throws Exception {
        woven.onTransformation(pool, app, null, false, null);
        assertThat(woven.matches(pool, app, null, ForkJoinPool.class, null)).isTrue();
        try (URLClassLoader other = new URLClassLoader(new URL[0], null)) {
            assertThat(woven.matches(pool, other, null, ForkJoinPool.class, null)).as("same name, other loader")
                    .isFalse();
        }
        assertThat(woven.matches(pool, app, null, null, null)).as("a class being loaded").isFalse();
        woven.installed();
        assertThat(woven.matches(pool, app, null, ForkJoinPool.class, null)).as("a later retransformation").isFalse();
    }

    @Test
    void retransformationsAndClassesWovenAfterTheInstallationAreNotRecorded() {
        woven.onTransformation(pool, app, null, true, null);
        assertThat(woven.matches(pool, app, null, ForkJoinPool.class, null)).isFalse();
        woven.installed();
        woven.onTransformation(pool, app, null, false, null);
        assertThat(woven.matches(pool, app, null, ForkJoinPool.class, null)).isFalse();
    }
}
