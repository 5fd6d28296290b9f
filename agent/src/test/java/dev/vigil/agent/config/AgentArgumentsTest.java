package dev.vigil.agent.config;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/** The agent-argument syntax shared by {@code -javaagent:…=}, {@code attach} and {@code config}. */
class AgentArgumentsTest {
    private static Map<String, String> parse(String args, List<String> problems) {
        return Config.parseArgs(args, problems);
    }

    @Test
    void commasSeparateItems() {
        List<String> problems = new ArrayList<>();
        assertThat(parse("service.name=shop, prometheus.port=0,", problems))
                .containsExactly(Map.entry("service.name", "shop"), Map.entry("prometheus.port", "0"));
        assertThat(problems).isEmpty();
    }

    @Test
    void anEscapedCommaStaysInsideTheValue() {
        List<String> problems = new ArrayList<>();
        Map<String, String> args = parse("resource.attributes=team=core\\,env=prod,otlp.headers=a=1\\,b=x\\\\y", problems);
        assertThat(args).containsEntry("resource.attributes", "team=core,env=prod")
                .containsEntry("otlp.headers", "a=1,b=x\\y");
        assertThat(problems).isEmpty();
    }

    @Test
    void otherBackslashesAreKept() {
        assertThat(Config.splitArgs("config.file=C:\\vigil\\a.properties,x\\")).containsExactly(
                "config.file=C:\\vigil\\a.properties", "x\\");
    }

    @Test
    void itemsThatAreNotKeyValueAreReportedAndIgnored() {
        List<String> problems = new ArrayList<>();
        assertThat(parse("service.name=a,oops,=x", problems)).containsOnlyKeys("service.name");
        assertThat(problems).hasSize(2).allMatch(p -> p.contains("is not key=value"));
    }

    @Test
    void joinEscapesSoThatParseGivesTheItemsBack() {
        List<String> items = List.of("resource.attributes=a=1,b=2", "otlp.headers=k=v\\,w", "service.name=x");
        String joined = Config.joinArgs(items);
        assertThat(joined).isEqualTo("resource.attributes=a=1\\,b=2,otlp.headers=k=v\\\\\\,w,service.name=x");
        assertThat(Config.splitArgs(joined)).isEqualTo(items);
    }

    @Test
    void listValuesFromAgentArgumentsReachTheResource() {
        Config config = Config.load("resource.attributes=team=core\\,env=prod", Map.of(), new Properties());
        assertThat(config.getMap(ConfigKey.RESOURCE_ATTRIBUTES)).containsExactly(
                Map.entry("team", "core"), Map.entry("env", "prod"));
        assertThat(config.values().get("resource.attributes").origin()).isEqualTo("agent arguments");
    }

    @Test
    void anUnescapedCommaInAListValueIsCaughtByCheckArgs() {
        assertThat(Config.checkArgs("resource.attributes=team=core,env=prod"))
                .singleElement().asString().contains("unknown key 'env'");
        assertThat(Config.checkArgs("prometheus.port=http")).singleElement().asString()
                .contains("prometheus.port").contains("'http'");
        assertThat(Config.checkArgs("prometheus.port=0,resource.attributes=a=1\\,b=2")).isEmpty();
    }

    @Test
    void aBadValueIsOneLineNamingKeyValueAndReplacement() {
        Config config = Config.load("prometheus.port=99999", Map.of(), new Properties());
        assertThat(config.get(ConfigKey.PROMETHEUS_PORT)).isEqualTo("9464");
        assertThat(config.problems()).singleElement().asString()
                .contains("prometheus.port").contains("'99999'").contains("using '9464' (default)")
                .doesNotContain("\n");
    }

    @Test
    void collectorHeaderValuesAreMaskedInProblemsAndDescription() {
        Config config = Config.load("otlp.headers=authorization=Bearer secret\\,x-key=abc", Map.of(), new Properties());
        assertThat(config.getMap(ConfigKey.OTLP_HEADERS)).containsEntry("x-key", "abc");
        assertThat(config.describe()).contains("authorization=***,x-key=***").doesNotContain("secret");
    }
}
