package dev.vigil.testing;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;

/**
 * Runs an application in its own JVM, as a user would: {@code java [-javaagent:vigil-agent.jar=…] -cp … Main}.
 * The class path holds only the test-app classes and the library jars asked for, never the agent's own
 * dependencies. Output is captured line by line for assertions.
 */
public final class ForkedJvm implements AutoCloseable {
    private final Process process;
    private final List<String> output = new CopyOnWriteArrayList<>();
    private final String description;
    private final boolean agentAtStartup;

    private ForkedJvm(List<String> command, boolean agentAtStartup) throws IOException {
        this.description = String.join(" ", command);
        this.agentAtStartup = agentAtStartup;
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("OTEL_") || k.startsWith("VIGIL_"));
        process = pb.start();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    output.add(line);
                    if (Boolean.getBoolean("it.echo")) {
                        System.out.println("[app " + process.pid() + "] " + line);
                    }
                }
            } catch (IOException ignored) {
                // process ended
            }
        }, "forked-jvm-output");
        reader.setDaemon(true);
        reader.start();
    }

    public static Builder builder(String mainClass) {
        return new Builder(mainClass);
    }

    public static Path agentJar() {
        String jar = System.getProperty("vigil.agent.jar");
        if (jar == null || !new File(jar).isFile()) {
            throw new IllegalStateException("vigil.agent.jar is not set or missing (" + jar + "): run through 'mvn verify'");
        }
        return Path.of(jar);
    }

    public static String javaExecutable() {
        String home = System.getProperty("it.java.home", System.getProperty("java.home"));
        return Path.of(home, "bin", "java").toString();
    }

    /** The feature version (17, 21, 25, …) of the JDK that runs forked applications, from its {@code release} file. */
    public static int javaFeatureVersion() {
        String home = System.getProperty("it.java.home", System.getProperty("java.home"));
        try {
            for (String line : java.nio.file.Files.readAllLines(Path.of(home, "release"))) {
                if (line.startsWith("JAVA_VERSION=")) {
                    String v = line.substring("JAVA_VERSION=".length()).replace("\"", "");
                    return Integer.parseInt(v.split("[.+-]")[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("cannot read the version of " + home, e);
        }
        throw new IllegalStateException("no JAVA_VERSION in " + home + "/release");
    }

    /** Entries of this JVM's class path whose path contains one of {@code fragments} (e.g. artifact ids). */
    public static List<String> classpathEntries(String... fragments) {
        List<String> out = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            String normalized = entry.replace('\\', '/');
            for (String fragment : fragments) {
                if (normalized.contains("/" + fragment + "/") || normalized.contains("/" + fragment + "-")) {
                    out.add(entry);
                    break;
                }
            }
        }
        List<String> missing = Arrays.stream(fragments)
                .filter(f -> out.stream().noneMatch(e -> e.replace('\\', '/').contains("/" + f)))
                .toList();
        if (!missing.isEmpty()) {
            throw new IllegalStateException("not on the test class path: " + missing);
        }
        return out;
    }

    /** Waits for a line of output matching {@code predicate} and returns it. */
    public String awaitLine(Predicate<String> predicate, Duration timeout) {
        String[] found = new String[1];
        await().atMost(timeout).pollInterval(Duration.ofMillis(50)).until(() -> {
            if (!process.isAlive() && output.stream().noneMatch(predicate)) {
                throw new AssertionError("process ended (exit " + process.exitValue() + ") before the expected line; output:\n" + output());
            }
            return output.stream().filter(predicate).findFirst().map(l -> found[0] = l).isPresent();
        });
        return found[0];
    }

    /**
     * Waits for the {@code READY <port>} line test apps print and returns the port; with the agent attached at
     * start-up, also for the agent's "started" line (start-up finishes beside the application's main).
     */
    public int awaitReadyPort() {
        String line = awaitLine(l -> l.startsWith("READY "), Duration.ofSeconds(60));
        if (agentAtStartup) {
            awaitAgentStarted();
        }
        return Integer.parseInt(line.substring("READY ".length()).trim());
    }

    /** Waits for the agent's "Vigil … started" line. */
    public void awaitAgentStarted() {
        awaitLine(l -> l.contains("[vigil]") && l.contains(" started in "), Duration.ofSeconds(60));
    }

    public String output() {
        return String.join("\n", output);
    }

    public List<String> lines() {
        return List.copyOf(output);
    }

    public long pid() {
        return process.pid();
    }

    public Process process() {
        return process;
    }

    /** Sends SIGTERM and waits for exit; returns the exit code. */
    public int stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
        return process.exitValue();
    }

    /** Closes every non-null resource, for {@code @AfterAll} methods; the first failure is rethrown at the end. */
    public static void closeAll(AutoCloseable... resources) throws Exception {
        Exception first = null;
        for (AutoCloseable resource : resources) {
            if (resource != null) {
                try {
                    resource.close();
                } catch (Exception e) {
                    first = first == null ? e : first;
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            stop();
        }
    }

    @Override
    public String toString() {
        return description;
    }

    public static final class Builder {
        private final String mainClass;
        private final List<String> classpath = new ArrayList<>();
        private final List<String> jvmArgs = new ArrayList<>();
        private final List<String> appArgs = new ArrayList<>();
        private String agentArgs;
        private boolean agent;

        private Builder(String mainClass) {
            this.mainClass = mainClass;
            classpath.add(testClasses());
        }

        /** Attach the agent with {@code -javaagent}, with optional {@code k=v,k=v} arguments (may be null). */
        public Builder withAgent(String args) {
            this.agent = true;
            this.agentArgs = args;
            return this;
        }

        /** Library jars from the test class path, by artifact id. */
        public Builder libraries(String... artifactIds) {
            classpath.addAll(classpathEntries(artifactIds));
            return this;
        }

        /** Further class path entries (jars or folders), e.g. libraries copied outside the test class path. */
        public Builder classpath(List<String> entries) {
            classpath.addAll(entries);
            return this;
        }

        public Builder jvmArg(String arg) {
            jvmArgs.add(arg);
            return this;
        }

        public Builder args(String... args) {
            appArgs.addAll(Arrays.asList(args));
            return this;
        }

        public ForkedJvm start() throws IOException {
            List<String> command = new ArrayList<>();
            command.add(javaExecutable());
            command.add("-Xmx256m");
            command.add("-XX:TieredStopAtLevel=1");
            if (agent) {
                command.add("-javaagent:" + agentJar() + (agentArgs == null ? "" : "=" + agentArgs));
            }
            command.addAll(jvmArgs);
            command.add("-cp");
            command.add(classpath.stream().collect(Collectors.joining(File.pathSeparator)));
            command.add(mainClass);
            command.addAll(appArgs);
            return new ForkedJvm(command, agent);
        }

        private static String testClasses() {
            try {
                return Path.of(ForkedJvm.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
