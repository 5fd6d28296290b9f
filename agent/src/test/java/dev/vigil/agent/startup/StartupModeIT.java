package dev.vigil.agent.startup;

import dev.vigil.testing.ForkedJvm;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** startup.mode=sync: premain returns only once the agent is complete, before the application's main runs. */
class StartupModeIT {
    @Test
    void syncStartFinishesBeforeMain() throws Exception {
        try (ForkedJvm app = ForkedJvm.builder("dev.vigil.testapps.JdkHttpServerApp")
                .withAgent("startup.mode=sync,traces.exporter=none,metrics.exporter=none,prometheus.port=0")
                .start()) {
            app.awaitReadyPort();
            List<String> lines = app.lines();
            int started = indexOf(lines, "Vigil ");
            int ready = indexOf(lines, "READY ");
            assertThat(started).as(app.output()).isNotNegative().isLessThan(ready);
        }
    }

    private static int indexOf(List<String> lines, String prefixOrPart) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith(prefixOrPart) || lines.get(i).contains("[vigil]") && lines.get(i).contains(prefixOrPart)) {
                return i;
            }
        }
        return -1;
    }
}
