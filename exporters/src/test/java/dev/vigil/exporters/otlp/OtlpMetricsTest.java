package dev.vigil.exporters.otlp;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class OtlpMetricsTest {
    @Test
    void firstPushWaitsOneIntervalAtMostTenSeconds() {
        assertThat(OtlpMetrics.firstDelay(Duration.ofSeconds(60))).isEqualTo(Duration.ofSeconds(10));
        assertThat(OtlpMetrics.firstDelay(Duration.ofHours(1))).isEqualTo(Duration.ofSeconds(10));
        assertThat(OtlpMetrics.firstDelay(Duration.ofSeconds(2))).isEqualTo(Duration.ofSeconds(2));
        assertThat(OtlpMetrics.firstDelay(Duration.ofSeconds(10))).isEqualTo(Duration.ofSeconds(10));
    }
}
