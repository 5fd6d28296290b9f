package dev.vigil.benchmarks;

/**
 * JVM options of the forks that run a benchmark with and without the agent.
 *
 * <p>The agent jar is given relative to the repository root, the directory {@code bench/jmh.sh} runs JMH from
 * (JMH forks inherit the working directory, and {@code @Fork} takes only constants). Build it first:
 * {@code mvn -DskipTests package}.
 *
 * <p>Agent settings, chosen to measure the cost an application thread pays per call:
 * <ul>
 *   <li>{@code startup.mode=sync}: everything is instrumented before the benchmark starts;</li>
 *   <li>{@code traces.exporter=none}: spans still go through the real sampler and the bounded
 *       {@code BatchSpanProcessor} (start, end, enqueue) and its export thread drains them into a no-op exporter;
 *       OTLP serialisation and the HTTP request are left out, because they happen on the agent's export thread in
 *       batches of 512 and would show up here as noise on a 2-core machine rather than as a per-call cost (the
 *       end-to-end harness of issue 7 measures them);</li>
 *   <li>{@code metrics.exporter=none,prometheus.port=0}: meters are still recorded (the duration histograms are
 *       part of each call's cost), nothing listens on a port, so parallel runs never clash;</li>
 *   <li>{@code runtime.jfr.enabled=false,looplag.platform.enabled=false}: the runtime module's background threads
 *       are measured on their own in BENCHMARKS.md (idle CPU), they are no per-call cost.</li>
 * </ul>
 */
final class AgentFork {
    static final String AGENT_JAR = "agent/target/vigil-agent.jar";
    static final String SETTINGS = "startup.mode=sync,traces.exporter=none,metrics.exporter=none,prometheus.port=0,"
            + "runtime.jfr.enabled=false,looplag.platform.enabled=false,log.level=warn";
    /** The same heap for both forks, so that allocation per operation, not heap sizing, is what differs. */
    static final String HEAP_MIN = "-Xms512m";
    static final String HEAP_MAX = "-Xmx512m";
    static final String JAVAAGENT = "-javaagent:" + AGENT_JAR + "=" + SETTINGS;

    private AgentFork() {
    }

    /**
     * Fails the benchmark when the fork does not run as intended: the agent puts its bridge into the boot class
     * loader, so the bridge is visible there exactly when the agent is attached.
     */
    static void expectAgent(boolean expected) {
        boolean attached;
        try {
            Class.forName("dev.vigil.bridge.Hooks", false, null);
            attached = true;
        } catch (ClassNotFoundException e) {
            attached = false;
        }
        if (attached != expected) {
            throw new IllegalStateException(expected
                    ? "the Vigil agent is not attached: run from the repository root after building " + AGENT_JAR
                    : "the Vigil agent is attached to a fork meant to run without it");
        }
    }
}
