package dev.vigil.testing;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code java -jar vigil-agent.jar <args>} as its own process, with the same JDK as the forked applications
 * ({@link ForkedJvm#javaExecutable()}), as a user would from a shell.
 */
public final class AgentCli {
    /** What the command did. */
    public record Result(int exitCode, String stdout, String stderr) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
        }
    }

    private AgentCli() {
    }

    public static Result run(String... args) throws IOException, InterruptedException {
        return run(List.of(), Map.of(), args);
    }

    /** With extra JVM options (e.g. {@code -Dvigil.log.level=debug}) and environment variables. */
    public static Result run(List<String> jvmOptions, Map<String, String> env, String... args)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(ForkedJvm.javaExecutable());
        command.add("-Xmx64m");
        command.add("-XX:TieredStopAtLevel=1");
        command.addAll(jvmOptions);
        command.add("-jar");
        command.add(ForkedJvm.agentJar().toString());
        command.addAll(Arrays.asList(args));
        File stdout = File.createTempFile("vigil-cli", ".out");
        File stderr = File.createTempFile("vigil-cli", ".err");
        try {
            ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(stdout).redirectError(stderr);
            pb.environment().keySet().removeIf(k -> k.startsWith("OTEL_") || k.startsWith("VIGIL_"));
            pb.environment().putAll(env);
            Process process = pb.start();
            if (!process.waitFor(90, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("timed out: " + command);
            }
            Result result = new Result(process.exitValue(), Files.readString(stdout.toPath(), StandardCharsets.UTF_8),
                    Files.readString(stderr.toPath(), StandardCharsets.UTF_8));
            if (Boolean.getBoolean("it.echo")) {
                System.out.println("[cli " + String.join(" ", args) + "] " + result);
            }
            return result;
        } finally {
            Files.deleteIfExists(stdout.toPath());
            Files.deleteIfExists(stderr.toPath());
        }
    }
}
