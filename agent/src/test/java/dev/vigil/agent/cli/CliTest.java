package dev.vigil.agent.cli;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Argument handling of the command line; the attach itself is proven by {@code AttachIT}. */
class CliTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return Cli.run(new File("vigil-agent.jar"), args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void wordsAndCommaListsGiveTheSameAgentArguments() {
        assertThat(Cli.agentArguments(List.of("k=v", "k2=v2"))).isEqualTo("k=v,k2=v2");
        assertThat(Cli.agentArguments(List.of("k=v,k2=v2"))).isEqualTo("k=v,k2=v2");
        assertThat(Cli.agentArguments(List.of("k=v,k2=v2", "k3=v3"))).isEqualTo("k=v,k2=v2,k3=v3");
        assertThat(Cli.agentArguments(List.of("resource.attributes=a=1\\,b=2", "service.name=x")))
                .isEqualTo("resource.attributes=a=1\\,b=2,service.name=x");
        assertThat(Cli.agentArguments(List.of())).isEmpty();
    }

    @Test
    void attachRefusesBadArgumentsBeforeLookingForJvms() {
        assertThat(run("attach", "no-such-jvm-pattern", "resource.attributes=a=1,b=2")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("unknown key 'b'").contains("nothing attached")
                .contains("\\,");
    }

    @Test
    void attachWithoutTargetIsAUsageError() {
        assertThat(run("attach")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("needs a pid or a pattern");
    }

    @Test
    void aPidWithoutProcessIsReportedAsSuch() {
        String pid = Long.toString(Long.MAX_VALUE / 2);
        assertThatThrownBy(() -> Cli.resolve(pid)).hasMessage("no process with pid " + pid);
        assertThat(run("attach", pid)).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("no process with pid " + pid);
    }

    @Test
    void aPatternMatchingNothingIsReported() {
        assertThat(run("attach", "no-jvm-is-called-like-this-" + System.nanoTime())).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("no running JVM matches");
    }

    @Test
    void argumentsBeyondTheOldAttachLimitAreRefusedOnlyForOldTargets() {
        String jar = "/opt/vigil/vigil-agent.jar";
        String fits = "service.name=" + "x".repeat(Cli.OLD_ATTACH_ARG_MAX - jar.length() - 1 - "service.name=".length());
        String tooLong = fits + "y";
        assertThat(Cli.argumentsTooLong(jar, fits, "17")).isNull();
        assertThat(Cli.argumentsTooLong(jar, tooLong, "17")).contains("1025 bytes").contains("config.file=");
        assertThat(Cli.argumentsTooLong(jar, tooLong, "21")).isNotNull();
        assertThat(Cli.argumentsTooLong(jar, tooLong, "25")).isNull();
        assertThat(Cli.argumentsTooLong(jar, tooLong, "26")).isNull();
        assertThat(Cli.argumentsTooLong(jar, tooLong, "weird")).isNotNull();
    }

    @Test
    void unknownCommandIsAUsageError() {
        assertThat(run("frobnicate")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("unknown command 'frobnicate'").contains("usage:");
    }
}
