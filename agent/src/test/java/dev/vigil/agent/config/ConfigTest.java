package dev.vigil.agent.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

class ConfigTest {
    private static Properties props(String... kv) {
        Properties p = new Properties();
        for (int i = 0; i < kv.length; i += 2) {
            p.setProperty(kv[i], kv[i + 1]);
        }
        return p;
    }

    @Test
    void defaultsApplyWhenNothingIsSet() {
        Config c = Config.load(null, Map.of(), new Properties());
        assertThat(c.get(ConfigKey.PROMETHEUS_PORT)).isEqualTo("9464");
        assertThat(c.values().get("prometheus.port").origin()).isEqualTo("default");
        assertThat(c.problems()).isEmpty();
    }

    @Test
    void precedenceIsArgsThenSystemPropertiesThenEnvironmentThenFileThenOtel(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("vigil.properties");
        Files.writeString(file, "otlp.timeout.ms=4000\nbsp.max.queue.size=100\nvigil.log.level=warn\n");
        Map<String, String> env = Map.of(
                "VIGIL_CONFIG_FILE", file.toString(),
                "VIGIL_SERVICE_NAME", "from-env",
                "VIGIL_BSP_MAX_QUEUE_SIZE", "300",
                "OTEL_SERVICE_NAME", "from-otel",
                "OTEL_EXPORTER_OTLP_TIMEOUT", "9000",
                "OTEL_TRACES_SAMPLER", "always_off");
        Config c = Config.load("service.name=from-args", env, props("vigil.service.name", "from-sysprop",
                "vigil.bsp.max.queue.size", "200"));
        assertThat(c.get(ConfigKey.SERVICE_NAME)).isEqualTo("from-args");
        assertThat(c.get(ConfigKey.BSP_QUEUE)).isEqualTo("200");
        assertThat(c.values().get("bsp.max.queue.size").origin()).isEqualTo("system property");
        assertThat(c.get(ConfigKey.OTLP_TIMEOUT)).isEqualTo("4000");
        assertThat(c.values().get("otlp.timeout.ms").origin()).startsWith("file ");
        assertThat(c.get(ConfigKey.LOG_LEVEL)).isEqualTo("warn");
        assertThat(c.get(ConfigKey.SAMPLER)).isEqualTo("always_off");
        assertThat(c.values().get("traces.sampler").origin()).isEqualTo("OTEL_* environment");
        assertThat(c.problems()).isEmpty();
    }

    @Test
    void otelSystemPropertyBeatsOtelEnvironment() {
        Config c = Config.load(null, Map.of("OTEL_SERVICE_NAME", "env"), props("otel.service.name", "prop"));
        assertThat(c.get(ConfigKey.SERVICE_NAME)).isEqualTo("prop");
    }

    @Test
    void aBadValueIsReportedInOneLineAndTheNextSourceIsUsed() {
        Config c = Config.load("prometheus.port=abc", Map.of("VIGIL_PROMETHEUS_PORT", "9999"), new Properties());
        assertThat(c.get(ConfigKey.PROMETHEUS_PORT)).isEqualTo("9999");
        assertThat(c.problems()).singleElement().asString()
                .contains("prometheus.port", "'abc'", "agent arguments", "using '9999' (environment)");
    }

    @Test
    void aBadValueWithNoOtherSourceFallsBackToTheDefault() {
        Config c = Config.load("traces.sampler.arg=1.5,traces.sampler=sometimes", Map.of(), new Properties());
        assertThat(c.get(ConfigKey.SAMPLER_ARG)).isEqualTo("1.0");
        assertThat(c.get(ConfigKey.SAMPLER)).isEqualTo("parentbased_always_on");
        assertThat(c.problems()).hasSize(2).allMatch(p -> p.contains("(default)"));
    }

    @Test
    void unknownKeysAndMalformedArgumentsAreReportedAndIgnored() {
        Config c = Config.load("prometheus.prot=1,justaword", Map.of("VIGIL_NOPE", "x"), props("vigil.what", "y"));
        assertThat(c.problems()).hasSize(4);
        assertThat(c.problems()).anyMatch(p -> p.contains("unknown key 'prometheus.prot' (from agent arguments)"));
        assertThat(c.problems()).anyMatch(p -> p.contains("'justaword' is not key=value"));
        assertThat(c.problems()).anyMatch(p -> p.contains("unknown key 'nope' (from environment)"));
        assertThat(c.problems()).anyMatch(p -> p.contains("unknown key 'what' (from system property)"));
    }

    @Test
    void collectorHeaderValuesAreNeverPrinted() {
        Config c = Config.load(null, Map.of("OTEL_EXPORTER_OTLP_HEADERS", "authorization=Bearer s3cret,x-tenant=acme"),
                new Properties());
        assertThat(c.getMap(ConfigKey.OTLP_HEADERS)).containsEntry("authorization", "Bearer s3cret");
        assertThat(c.describe()).doesNotContain("s3cret").doesNotContain("acme").contains("authorization=***");
        Config bad = Config.load(null, Map.of("OTEL_EXPORTER_OTLP_HEADERS", "authorization"), new Properties());
        assertThat(String.join("\n", bad.problems())).doesNotContain("Bearer");
    }

    @Test
    void instrumentationSwitches() {
        Config c = Config.load("instrumentation.servlet.enabled=false,instrumentation.httpserver.enabled=maybe",
                Map.of(), new Properties());
        assertThat(c.instrumentationEnabled("servlet")).isFalse();
        assertThat(c.instrumentationEnabled("httpserver")).isTrue();
        assertThat(c.instrumentationEnabled("jdkhttpclient")).isTrue();
        assertThat(c.problems()).singleElement().asString().contains("instrumentation.httpserver.enabled", "'maybe'");
    }

    @Test
    void anUnreadableFileIsReportedOnce() {
        Config c = Config.load("config.file=/nonexistent/vigil.properties", Map.of(), new Properties());
        assertThat(c.problems()).singleElement().asString().contains("cannot read '/nonexistent/vigil.properties'");
        assertThat(c.get(ConfigKey.PROMETHEUS_PORT)).isEqualTo("9464");
    }
}
