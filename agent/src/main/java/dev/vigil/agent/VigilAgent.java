package dev.vigil.agent;

import dev.vigil.agent.config.Config;
import dev.vigil.agent.config.ConfigKey;
import dev.vigil.agent.http.ApacheAsyncClientTelemetry;
import dev.vigil.agent.http.HttpClientTelemetry;
import dev.vigil.agent.http.HttpServerTelemetry;
import dev.vigil.agent.http.HttpUrlConnectionTelemetry;
import dev.vigil.agent.instrumentation.Instrumenter;
import dev.vigil.agent.log.AgentLog;
import dev.vigil.agent.trace.Resources;
import dev.vigil.agent.trace.Tracing;
import dev.vigil.bridge.AdviceErrors;
import dev.vigil.bridge.AgentThread;
import dev.vigil.bridge.Hooks;
import dev.vigil.exporters.ExportSettings;
import dev.vigil.exporters.Exporters;
import io.micrometer.core.instrument.FunctionCounter;
import io.opentelemetry.sdk.resources.Resource;

import java.io.File;
import java.io.IOException;
import java.lang.instrument.Instrumentation;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.jar.JarFile;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Starts the agent inside the host JVM (called by the launcher through the agent's own class loader).
 *
 * <p>Order matters: configuration, exporters, tracing, hooks, and only then the bytecode transformation, so that
 * the first instrumented call already finds a working pipeline. Any failure is logged in one line and leaves the
 * application running uninstrumented.
 */
public final class VigilAgent {
    public static final String RUNNING_PROPERTY = "vigil.agent.running";
    /** Strong reference: JUL holds loggers weakly, and the level set below must stick. */
    private static final Logger OTEL_LOGGER = Logger.getLogger("dev.vigil.shaded.otel");

    private VigilAgent() {
    }

    public static void start(Instrumentation inst, String args, boolean attached, File jar) {
        long startNanos = System.nanoTime();
        Config config = Config.load(args);
        AgentLog.setLevel(AgentLog.Level.valueOf(config.get(ConfigKey.LOG_LEVEL).toUpperCase(Locale.ROOT)));
        config.logProblems();
        System.setProperty(RUNNING_PROPERTY, Instant.now() + (attached ? " by attach" : " by -javaagent"));
        // The SDK logs every failed export through JUL; Vigil reports those itself, once.
        OTEL_LOGGER.setLevel(Level.OFF);
        OTEL_LOGGER.setUseParentHandlers(false);

        String version = version(jar);
        String tracesEndpoint = tracesEndpoint(config);
        Exporters exporters = Exporters.start(new ExportSettings(tracesEndpoint, config.getMap(ConfigKey.OTLP_HEADERS),
                Duration.ofMillis(config.getInt(ConfigKey.OTLP_TIMEOUT)), config.get(ConfigKey.PROMETHEUS_HOST),
                config.getInt(ConfigKey.PROMETHEUS_PORT)), new AgentThreads("export"), AgentLog::warn);
        Resource resource = Resources.create(config, version);
        Tracing tracing = Tracing.start(config, exporters.spanExporter(), tracesEndpoint == null ? "none" : tracesEndpoint,
                resource, version);
        tracing.bindTo(exporters.registry());
        FunctionCounter.builder("vigil.agent.advice.errors", AdviceErrors.class, c -> AdviceErrors.count())
                .description("Exceptions thrown inside Vigil's advice and kept from the application")
                .register(exporters.registry());
        AdviceErrors.listener = error -> AgentLog.warnOnce("advice:" + error.getClass().getName() + ":"
                        + (error.getStackTrace().length > 0 ? error.getStackTrace()[0] : ""),
                "instrumentation error kept from the application (counted in vigil_agent_advice_errors_total): " + error);

        Hooks.httpServer = new HttpServerTelemetry(tracing.tracer(), tracing.propagator(), exporters.registry());
        HttpClientTelemetry httpClient = new HttpClientTelemetry(tracing.tracer(), tracing.propagator(),
                exporters.registry());
        Hooks.httpClient = httpClient;
        Hooks.httpUrlConnection = new HttpUrlConnectionTelemetry(httpClient);
        Hooks.apacheAsyncClient = new ApacheAsyncClientTelemetry(httpClient);

        Duration shutdownTimeout = Duration.ofMillis(config.getInt(ConfigKey.SHUTDOWN_TIMEOUT));
        Runtime.getRuntime().addShutdownHook(new AgentThread(() -> {
            tracing.shutdown(shutdownTimeout);
            exporters.close();
        }, "vigil-shutdown"));

        List<String> enabled;
        try {
            enabled = Instrumenter.install(inst, config, VigilAgent.class.getClassLoader());
        } catch (Exception e) {
            AgentLog.error("instrumentation not installed (" + e + "); exporting runtime metrics only");
            enabled = List.of();
        }
        AgentLog.info("Vigil " + version + " started in " + (System.nanoTime() - startNanos) / 1_000_000 + " ms"
                + (attached ? " (attached)" : "") + ": service.name=" + resource.getAttribute(
                io.opentelemetry.api.common.AttributeKey.stringKey("service.name"))
                + ", spans to " + (tracesEndpoint == null ? "nowhere (traces.exporter=none)" : tracesEndpoint)
                + ", metrics at " + (exporters.prometheusPort() < 0 ? "(Prometheus endpoint off)"
                : "http://" + config.get(ConfigKey.PROMETHEUS_HOST) + ":" + exporters.prometheusPort() + "/metrics")
                + ", instrumentations " + enabled);
    }

    static String tracesEndpoint(Config config) {
        if (config.get(ConfigKey.TRACES_EXPORTER).equals("none")) {
            return null;
        }
        String explicit = config.get(ConfigKey.OTLP_TRACES_ENDPOINT);
        if (!explicit.isEmpty()) {
            return explicit;
        }
        String base = config.get(ConfigKey.OTLP_ENDPOINT);
        return (base.endsWith("/") ? base : base + "/") + "v1/traces";
    }

    static String version(File jar) {
        try (JarFile file = new JarFile(jar, false)) {
            String v = file.getManifest().getMainAttributes().getValue("Implementation-Version");
            return v == null ? "dev" : v;
        } catch (IOException | RuntimeException e) {
            return "dev";
        }
    }
}
