package dev.vigil.agent;

import dev.vigil.agent.config.Config;
import dev.vigil.agent.config.ConfigKey;
import dev.vigil.agent.db.JdbcTelemetry;
import dev.vigil.agent.http.ApacheAsyncClientTelemetry;
import dev.vigil.agent.http.HttpClientTelemetry;
import dev.vigil.agent.http.HttpServerTelemetry;
import dev.vigil.agent.http.HttpUrlConnectionTelemetry;
import dev.vigil.agent.instrumentation.Instrumenter;
import dev.vigil.agent.leak.ConnectionLeaks;
import dev.vigil.agent.leak.LeakRegistry;
import dev.vigil.agent.leak.LeakTelemetry;
import dev.vigil.agent.leak.RetentionTracker;
import dev.vigil.agent.log.AgentLog;
import dev.vigil.agent.runtime.jfr.JvmRuntimeMetrics;
import dev.vigil.agent.runtime.looplag.LoopLagMonitor;
import dev.vigil.agent.runtime.looplag.PlatformHiccupMeter;
import dev.vigil.agent.runtime.looplag.RequestWatch;
import dev.vigil.agent.trace.ContextPropagation;
import dev.vigil.agent.messaging.MessagingTelemetry;
import dev.vigil.agent.trace.CurrentSpanExemplars;
import dev.vigil.agent.trace.Resources;
import dev.vigil.agent.trace.Tracing;
import dev.vigil.bridge.AdviceErrors;
import dev.vigil.bridge.AgentThread;
import dev.vigil.bridge.Hooks;
import dev.vigil.exporters.AgentScheduler;
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
 * the first instrumented call already finds a working pipeline; the runtime metrics (JFR, hiccup meter), which no
 * instrumented call needs, start last. Any failure is logged in one line and leaves the
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
        if (attached || config.get(ConfigKey.STARTUP_MODE).equals("sync")) {
            startNow(inst, config, attached, jar, startNanos, 0);
            return;
        }
        // The application's main runs while the agent sets itself up: classes loaded meanwhile are retransformed
        // by the installation, exactly as after an attach. Requests served in the first second are not traced.
        new AgentThread(() -> {
            try {
                startNow(inst, config, false, jar, startNanos, config.getInt(ConfigKey.RUNTIME_START_DELAY));
            } catch (Throwable t) {
                AgentLog.error("agent did not start, the application runs without it: " + t);
            }
        }, "vigil-start").start();
    }

    /** @param runtimeDelayMillis the runtime metrics start this long after {@code startNanos}, at the earliest */
    private static void startNow(Instrumentation inst, Config config, boolean attached, File jar, long startNanos,
                                 int runtimeDelayMillis) {
        // The SDK logs every failed export through JUL; Vigil reports those itself, once.
        OTEL_LOGGER.setLevel(Level.OFF);
        OTEL_LOGGER.setUseParentHandlers(false);

        String version = version(jar);
        String tracesEndpoint = otlpEndpoint(config, ConfigKey.TRACES_EXPORTER, ConfigKey.OTLP_TRACES_ENDPOINT, "v1/traces");
        String metricsEndpoint = otlpEndpoint(config, ConfigKey.METRICS_EXPORTER, ConfigKey.OTLP_METRICS_ENDPOINT, "v1/metrics");
        Resource resource = Resources.create(config, version);
        long configured = System.nanoTime();
        // the one thread of every periodic job and export completion (issue 7's thread budget)
        AgentScheduler scheduler = new AgentScheduler(new AgentThreads("agent"));
        // exemplars are served by the scrape endpoint only: without it, meters are recorded without the span current
        CurrentSpanExemplars.setSampled(config.getInt(ConfigKey.PROMETHEUS_PORT) > 0);
        Exporters exporters = Exporters.start(new ExportSettings(tracesEndpoint, metricsEndpoint,
                Duration.ofMillis(config.getInt(ConfigKey.METRICS_INTERVAL)), config.getMap(ConfigKey.OTLP_HEADERS),
                Duration.ofMillis(config.getInt(ConfigKey.OTLP_TIMEOUT)), config.get(ConfigKey.PROMETHEUS_HOST),
                config.getInt(ConfigKey.PROMETHEUS_PORT), resource), scheduler, new AgentThreads("export"), AgentLog::warn,
                new CurrentSpanExemplars());
        Tracing tracing = Tracing.start(config, exporters.spanExporter(), tracesEndpoint == null ? "none" : tracesEndpoint,
                resource, version, scheduler);
        long pipeline = System.nanoTime();
        tracing.bindTo(exporters.registry());
        FunctionCounter.builder("vigil.agent.advice.errors", AdviceErrors.class, c -> AdviceErrors.count())
                .description("Exceptions thrown inside Vigil's advice and kept from the application")
                .register(exporters.registry());
        FunctionCounter.builder("vigil.agent.metrics.export.failures", exporters, Exporters::metricPushFailures)
                .description("Failed OTLP metric pushes").register(exporters.registry());
        AdviceErrors.listener = error -> AgentLog.warnOnce("advice:" + error.getClass().getName() + ":"
                        + (error.getStackTrace().length > 0 ? error.getStackTrace()[0] : ""),
                "instrumentation error kept from the application (counted in vigil_agent_advice_errors_total): " + error);

        LoopLagMonitor loopLag = startLoopLag(config, exporters, scheduler);
        Hooks.httpServer = new HttpServerTelemetry(tracing.tracer(), tracing.propagator(), exporters.registry(),
                loopLag == null ? new RequestWatch(false) : loopLag.requests());
        HttpClientTelemetry httpClient = new HttpClientTelemetry(tracing.tracer(), tracing.propagator(),
                exporters.registry());
        Hooks.httpClient = httpClient;
        Hooks.httpUrlConnection = new HttpUrlConnectionTelemetry(httpClient);
        Hooks.apacheAsyncClient = new ApacheAsyncClientTelemetry(httpClient);
        Hooks.context = new ContextPropagation();
        LeakRegistry leaks = new LeakRegistry(exporters.registry(), scheduler);
        exporters.addJsonEndpoint("/vigil/leaks", leaks::json);
        int connectionLeakMillis = config.getInt(ConfigKey.LEAK_CONNECTION_THRESHOLD);
        ConnectionLeaks connectionLeaks = connectionLeakMillis > 0
                ? new ConnectionLeaks(leaks, connectionLeakMillis,
                config.get(ConfigKey.LEAK_CONNECTION_STACKS).equals("always")).start() : null;
        long bindSlowNanos = config.get(ConfigKey.JDBC_BIND_CAPTURE).equals("off") ? -1
                : config.getInt(ConfigKey.JDBC_BIND_SLOW_THRESHOLD) * 1_000_000L;
        Hooks.jdbc = new JdbcTelemetry(tracing.tracer(), exporters.registry(), connectionLeaks, bindSlowNanos);
        Hooks.messaging = new MessagingTelemetry(tracing.tracer(), tracing.propagator(), exporters.registry());
        Hooks.leaks = new LeakTelemetry(retention(config, leaks, exporters, LeakTelemetry.LISTENER, "listeners",
                ConfigKey.LEAK_LISTENER_MIN), retention(config, leaks, exporters, LeakTelemetry.TIMER, "periodic tasks",
                ConfigKey.LEAK_TIMER_MIN));

        // filled as parts start; read by the shutdown hook, which may run before start-up is over
        List<AutoCloseable> runtime = new java.util.concurrent.CopyOnWriteArrayList<>();
        if (loopLag != null) {
            Hooks.loopLag = loopLag;
            runtime.add(loopLag);
        }
        runtime.add(leaks);

        Duration shutdownTimeout = Duration.ofMillis(config.getInt(ConfigKey.SHUTDOWN_TIMEOUT));
        java.util.concurrent.atomic.AtomicBoolean shuttingDown = new java.util.concurrent.atomic.AtomicBoolean();
        Runtime.getRuntime().addShutdownHook(new AgentThread(() -> {
            shuttingDown.set(true);
            runtime.forEach(VigilAgent::closeQuietly);
            // one budget for everything: spans first, then the last metric push
            long deadline = System.nanoTime() + shutdownTimeout.toNanos();
            tracing.shutdown(shutdownTimeout, new AgentThreads("shutdown"));
            exporters.close(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
            scheduler.shutdownNow();
        }, "vigil-shutdown"));

        long hooks = System.nanoTime();
        List<String> enabled;
        try {
            enabled = Instrumenter.install(inst, config, VigilAgent.class.getClassLoader(), scheduler);
        } catch (Exception e) {
            AgentLog.error("instrumentation not installed (" + e + "); exporting runtime metrics only");
            enabled = List.of();
        }
        if (AgentLog.enabled(AgentLog.Level.DEBUG)) {
            AgentLog.debug("start-up ms: config " + (configured - startNanos) / 1_000_000 + ", exporters+tracing "
                    + (pipeline - configured) / 1_000_000 + ", meters+hooks " + (hooks - pipeline) / 1_000_000
                    + ", instrumentation " + (System.nanoTime() - hooks) / 1_000_000);
        }
        AgentLog.info("Vigil " + version + " started in " + (System.nanoTime() - startNanos) / 1_000_000 + " ms"
                + (attached ? " (attached)" : "") + ": service.name=" + resource.getAttribute(
                io.opentelemetry.api.common.AttributeKey.stringKey("service.name"))
                + ", spans to " + (tracesEndpoint == null ? "nowhere (traces.exporter=none)" : tracesEndpoint)
                + ", metrics pushed to " + (metricsEndpoint == null ? "nowhere (metrics.exporter)" : metricsEndpoint)
                + ", metrics at " + (exporters.prometheusPort() < 0 ? "(Prometheus endpoint off)"
                : "http://" + config.get(ConfigKey.PROMETHEUS_HOST) + ":" + exporters.prometheusPort() + "/metrics")
                + ", instrumentations " + enabled);

        // JFR's recorder and event stream and the hiccup meter start last: no instrumented call needs them. With
        // the asynchronous start-up they also wait (runtime.start.delay.ms): their set-up and threads otherwise
        // compete with the application's own start and first requests for the same cores (on the sample app's
        // orders service, on 2 cores, with them off the first 2xx came ~0.5 s of CPU and 1-2 s sooner).
        long delayNanos = startNanos + runtimeDelayMillis * 1_000_000L - System.nanoTime();
        if (delayNanos > 0) {
            try {
                Thread.sleep(delayNanos / 1_000_000, (int) (delayNanos % 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        if (shuttingDown.get()) {
            return;
        }
        long runtimeStart = System.nanoTime();
        List<AutoCloseable> started = startRuntime(config, exporters, scheduler);
        runtime.addAll(started);
        if (shuttingDown.get()) { // the shutdown hook ran meanwhile
            started.forEach(VigilAgent::closeQuietly);
        }
        AgentLog.debug("runtime metrics started in " + (System.nanoTime() - runtimeStart) / 1_000_000 + " ms");
    }

    /** A listener or timer {@link RetentionTracker}, or null when its {@code leak.*.min} is 0. */
    private static RetentionTracker retention(Config config, LeakRegistry leaks, Exporters exporters, String kind,
                                              String noun, ConfigKey min) {
        int minRetained = config.getInt(min);
        return minRetained <= 0 ? null : new RetentionTracker(kind, noun, leaks, exporters.registry(),
                config.getInt(ConfigKey.LEAK_GROWTH_WINDOWS), minRetained).start(config.getInt(ConfigKey.LEAK_WINDOW));
    }

    /** Starts the runtime binders the configuration enables; a failure leaves the others and the agent running. */
    private static List<AutoCloseable> startRuntime(Config config, Exporters exporters, AgentScheduler scheduler) {
        List<AutoCloseable> started = new java.util.ArrayList<>();
        try {
            if ("true".equals(config.get(ConfigKey.RUNTIME_JFR_ENABLED))) {
                started.add(new JvmRuntimeMetrics(new AgentThreads("jfr"), config.getInt(ConfigKey.HEAP_GROWTH_WINDOW),
                        config.getInt(ConfigKey.HEAP_GROWTH_WARMUP)).bindTo(exporters.registry()));
            }
        } catch (RuntimeException | LinkageError e) {
            AgentLog.error("JVM runtime metrics not started (" + e + ")");
        }
        try {
            if ("true".equals(config.get(ConfigKey.LOOPLAG_PLATFORM_ENABLED))) {
                started.add(new PlatformHiccupMeter(scheduler,
                        config.getInt(ConfigKey.LOOPLAG_PLATFORM_INTERVAL),
                        config.getInt(ConfigKey.LOOPLAG_REPORT_INTERVAL)).bindTo(exporters.registry()));
            }
        } catch (RuntimeException | LinkageError e) {
            AgentLog.error("platform lag meter not started (" + e + ")");
        }
        return started;
    }

    /** The Netty/executor lag sources and blocked-thread checker, or null when every part of it is off. */
    private static LoopLagMonitor startLoopLag(Config config, Exporters exporters, AgentScheduler scheduler) {
        LoopLagMonitor.Settings settings = new LoopLagMonitor.Settings(
                config.instrumentationEnabled("netty"),
                config.getInt(ConfigKey.LOOPLAG_NETTY_INTERVAL),
                config.getInt(ConfigKey.LOOPLAG_BLOCKED_THRESHOLD),
                config.getInt(ConfigKey.LOOPLAG_BLOCKED_REQUEST_THRESHOLD),
                "true".equals(config.get(ConfigKey.LOOPLAG_EXECUTOR_ENABLED)) && config.instrumentationEnabled("executor"),
                config.getInt(ConfigKey.LOOPLAG_REPORT_INTERVAL));
        if (!settings.netty() && !settings.executor() && settings.requestThresholdMillis() == 0) {
            return null;
        }
        try {
            return new LoopLagMonitor(scheduler, settings, exporters.registry());
        } catch (RuntimeException | LinkageError e) {
            AgentLog.error("event-loop lag sources not started (" + e + ")");
            return null;
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            // shutting down
        }
    }

    /** The OTLP URL of one signal, or null when its exporter is not {@code otlp}. */
    static String otlpEndpoint(Config config, ConfigKey exporter, ConfigKey explicitEndpoint, String path) {
        if (!config.get(exporter).equals("otlp")) {
            return null;
        }
        String explicit = config.get(explicitEndpoint);
        if (!explicit.isEmpty()) {
            return explicit;
        }
        String base = config.get(ConfigKey.OTLP_ENDPOINT);
        return (base.endsWith("/") ? base : base + "/") + path;
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
