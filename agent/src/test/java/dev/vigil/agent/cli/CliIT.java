package dev.vigil.agent.cli;

import dev.vigil.agent.config.ConfigKey;
import dev.vigil.testing.AgentCli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code java -jar vigil-agent.jar config|keys|help}, run from the built jar as a user runs them. */
class CliIT {
    private static final Pattern CONFIG_LINE = Pattern.compile("^(\\S+)\\s+= (.*?)\\s+\\((.+)\\)$");

    /** key -> {value, origin} from the output of {@code config}. */
    static Map<String, List<String>> parse(String stdout) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        stdout.lines().forEach(line -> {
            Matcher m = CONFIG_LINE.matcher(line);
            assertThat(m.matches()).as("config line '" + line + "'").isTrue();
            out.put(m.group(1), List.of(m.group(2).trim(), m.group(3)));
        });
        return out;
    }

    @Test
    void configShowsEveryKeyWithTheValueInEffectAndWhereItCameFrom(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("vigil.properties");
        Files.writeString(file, "vigil.shutdown.timeout.ms=500\nbsp.max.export.batch.size=64\n");
        AgentCli.Result result = AgentCli.run(
                List.of("-Dvigil.log.level=debug", "-Dvigil.config.file=" + file),
                Map.of("VIGIL_BSP_MAX_QUEUE_SIZE", "100", "OTEL_TRACES_SAMPLER", "always_off",
                        "OTEL_SERVICE_NAME", "from-otel-env"),
                "config", "service.name=shop", "resource.attributes=team=core\\,env=it,prometheus.port=abc");
        assertThat(result.exitCode()).as(result.toString()).isZero();

        Map<String, List<String>> config = parse(result.stdout());
        assertThat(config.keySet()).containsAll(ConfigKey.all().keySet());
        assertThat(config.get("service.name")).containsExactly("shop", "agent arguments");
        assertThat(config.get("resource.attributes")).containsExactly("team=core,env=it", "agent arguments");
        assertThat(config.get("log.level")).containsExactly("debug", "system property");
        assertThat(config.get("bsp.max.queue.size")).containsExactly("100", "environment");
        assertThat(config.get("shutdown.timeout.ms")).containsExactly("500", "file " + file);
        assertThat(config.get("bsp.max.export.batch.size")).containsExactly("64", "file " + file);
        assertThat(config.get("traces.sampler")).containsExactly("always_off", "OTEL_* environment");
        assertThat(config.get("prometheus.port")).containsExactly("9464", "default");
        assertThat(config.get("otlp.endpoint")).containsExactly("http://localhost:4318", "default");

        // the bad value: exactly one line, naming the key, the bad value and the value used instead
        assertThat(result.stderr().lines().toList()).singleElement().asString()
                .contains("prometheus.port").contains("'abc'").contains("agent arguments").contains("using '9464' (default)");
    }

    @Test
    void aBadValueFallsBackToTheNextSourceNotStraightToTheDefault() throws Exception {
        AgentCli.Result result = AgentCli.run(List.of("-Dvigil.prometheus.port=9999"), Map.of(),
                "config", "prometheus.port=-1");
        assertThat(parse(result.stdout()).get("prometheus.port")).containsExactly("9999", "system property");
        assertThat(result.stderr().lines().toList()).singleElement().asString()
                .contains("prometheus.port").contains("'-1'").contains("using '9999' (system property)");
    }

    @Test
    void collectorHeadersAreNeverPrinted() throws Exception {
        AgentCli.Result result = AgentCli.run(List.of(), Map.of("OTEL_EXPORTER_OTLP_HEADERS", "authorization=Bearer s3cr3t"),
                "config");
        assertThat(parse(result.stdout()).get("otlp.headers")).containsExactly("authorization=***", "OTEL_* environment");
        assertThat(result.stdout() + result.stderr()).doesNotContain("s3cr3t");
    }

    @Test
    void keysListsEveryKeyWithItsDefault() throws Exception {
        AgentCli.Result result = AgentCli.run("keys");
        assertThat(result.exitCode()).isZero();
        List<String> lines = result.stdout().lines().toList();
        assertThat(lines).hasSize(ConfigKey.all().size());
        for (ConfigKey key : ConfigKey.all().values()) {
            assertThat(lines).as(key.name()).anyMatch(l -> l.startsWith(key.name() + " ")
                    && l.contains(key.defaultValue().isEmpty() ? "(empty)" : key.defaultValue())
                    && l.contains(key.description()));
        }
    }

    @Test
    void noCommandPrintsUsage() throws Exception {
        AgentCli.Result result = AgentCli.run();
        assertThat(result.exitCode()).isZero();
        assertThat(result.stdout()).contains("usage:").contains("attach <pid|pattern>").contains("config").contains("keys");
    }
}
