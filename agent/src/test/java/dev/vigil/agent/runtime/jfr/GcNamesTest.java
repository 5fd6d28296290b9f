package dev.vigil.agent.runtime.jfr;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class GcNamesTest {
    @ParameterizedTest
    @CsvSource({"G1New,end of minor GC", "ZGC Minor,end of minor GC", "ParallelScavenge,end of minor GC",
            "DefNew,end of minor GC", "G1Old,end of major GC", "G1Full,end of major GC", "Z,end of major GC",
            "ZGC Major,end of major GC", "SerialOld,end of major GC", "Shenandoah,end of major GC",
            "SomethingNew,end of major GC"})
    void actionOf(String jfrName, String action) {
        assertThat(GcNames.action(jfrName)).isEqualTo(action);
    }
}
