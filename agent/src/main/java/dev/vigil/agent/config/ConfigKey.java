package dev.vigil.agent.config;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Every configuration key the agent reads, with its default, its type check and the standard OpenTelemetry
 * variable that also sets it. The README's configuration table is this list.
 *
 * <p>Key names use dots; as a system property they take the prefix {@code vigil.}, as an environment variable
 * the prefix {@code VIGIL_} with dots turned into underscores ({@code prometheus.port} =
 * {@code -Dvigil.prometheus.port} = {@code VIGIL_PROMETHEUS_PORT}).
 */
public final class ConfigKey {
    /** Checks and normalises a raw value; returns null when the value is invalid. */
    interface Check extends Function<String, String> {
    }

    private static final Map<String, ConfigKey> KEYS = new LinkedHashMap<>();

    public static final ConfigKey CONFIG_FILE = add("config.file", "", null, "path of an optional properties file with these keys", any());
    public static final ConfigKey SERVICE_NAME = add("service.name", "", "OTEL_SERVICE_NAME", "service.name resource attribute (default: main class or jar name)", any());
    public static final ConfigKey RESOURCE_ATTRIBUTES = add("resource.attributes", "", "OTEL_RESOURCE_ATTRIBUTES", "extra resource attributes, k1=v1,k2=v2", keyValueList());
    public static final ConfigKey TRACES_EXPORTER = add("traces.exporter", "otlp", "OTEL_TRACES_EXPORTER", "otlp or none", oneOf("otlp", "none"));
    public static final ConfigKey OTLP_ENDPOINT = add("otlp.endpoint", "http://localhost:4318", "OTEL_EXPORTER_OTLP_ENDPOINT", "OTLP/HTTP base URL; /v1/traces and /v1/metrics are appended", url());
    public static final ConfigKey OTLP_TRACES_ENDPOINT = add("otlp.traces.endpoint", "", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "full URL for spans (overrides otlp.endpoint)", urlOrEmpty());
    public static final ConfigKey METRICS_EXPORTER = add("metrics.exporter", "otlp", "OTEL_METRICS_EXPORTER", "otlp (push to the collector as well as the Prometheus endpoint), prometheus or none (endpoint only)", oneOf("otlp", "prometheus", "none"));
    public static final ConfigKey OTLP_METRICS_ENDPOINT = add("otlp.metrics.endpoint", "", "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT", "full URL for metrics (overrides otlp.endpoint)", urlOrEmpty());
    public static final ConfigKey METRICS_INTERVAL = add("metrics.export.interval.ms", "60000", "OTEL_METRIC_EXPORT_INTERVAL", "time between two OTLP metric pushes, milliseconds", intRange(1000, 3_600_000));
    public static final ConfigKey OTLP_HEADERS = add("otlp.headers", "", "OTEL_EXPORTER_OTLP_HEADERS", "headers sent to the collector, k1=v1,k2=v2 (values never logged)", keyValueList());
    public static final ConfigKey OTLP_PROTOCOL = add("otlp.protocol", "http/protobuf", "OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf (grpc is not bundled)", oneOf("http/protobuf"));
    public static final ConfigKey OTLP_TIMEOUT = add("otlp.timeout.ms", "10000", "OTEL_EXPORTER_OTLP_TIMEOUT", "export request timeout, milliseconds", intRange(1, 600_000));
    public static final ConfigKey SAMPLER = add("traces.sampler", "parentbased_always_on", "OTEL_TRACES_SAMPLER", "always_on, always_off, traceidratio, parentbased_always_on, parentbased_always_off, parentbased_traceidratio",
            oneOf("always_on", "always_off", "traceidratio", "parentbased_always_on", "parentbased_always_off", "parentbased_traceidratio"));
    public static final ConfigKey SAMPLER_ARG = add("traces.sampler.arg", "1.0", "OTEL_TRACES_SAMPLER_ARG", "sampling ratio for the *traceidratio samplers, 0.0 to 1.0", ratio());
    public static final ConfigKey PROPAGATORS = add("propagators", "tracecontext,baggage", "OTEL_PROPAGATORS", "tracecontext, baggage, none (comma-separated)", subsetOf("tracecontext", "baggage", "none"));
    public static final ConfigKey BSP_QUEUE = add("bsp.max.queue.size", "2048", "OTEL_BSP_MAX_QUEUE_SIZE", "spans buffered before export; beyond it spans are dropped and counted", intRange(1, 1_000_000));
    public static final ConfigKey BSP_BATCH = add("bsp.max.export.batch.size", "512", "OTEL_BSP_MAX_EXPORT_BATCH_SIZE", "spans per export request", intRange(1, 100_000));
    public static final ConfigKey BSP_DELAY = add("bsp.schedule.delay.ms", "1000", "OTEL_BSP_SCHEDULE_DELAY", "delay between exports, milliseconds", intRange(1, 600_000));
    public static final ConfigKey SHUTDOWN_TIMEOUT = add("shutdown.timeout.ms", "3000", null, "longest time the JVM shutdown waits for the last export, milliseconds", intRange(0, 60_000));
    public static final ConfigKey PROMETHEUS_PORT = add("prometheus.port", "9464", null, "Prometheus scrape endpoint port (0 disables it)", intRange(0, 65_535));
    public static final ConfigKey PROMETHEUS_HOST = add("prometheus.host", "0.0.0.0", null, "address the scrape endpoint binds to", any());
    public static final ConfigKey STARTUP_MODE = add("startup.mode", "async", null, "async: -javaagent start-up finishes beside the application's main (fastest start; the first requests may go untraced); sync: premain returns once everything is instrumented", oneOf("async", "sync"));
    public static final ConfigKey LOG_LEVEL = add("log.level", "info", null, "agent log level: debug, info, warn, error, off", oneOf("debug", "info", "warn", "error", "off"));
    public static final ConfigKey RUNTIME_JFR_ENABLED = add("runtime.jfr.enabled", "true", null, "JVM runtime metrics (GC, memory, allocation, safepoints, CPU, threads, classes) from a JFR stream; JMX fallback when JFR is missing", bool());
    public static final ConfigKey RUNTIME_START_DELAY = add("runtime.start.delay.ms", "5000", null, "startup.mode=async only: the JFR stream and the platform hiccup meter start this long after the agent (and after the instrumentation in any case), leaving the CPU to the application's start and first requests; 0 starts them right after the instrumentation", intRange(0, 600_000));
    public static final ConfigKey HEAP_GROWTH_WINDOW = add("runtime.heap.growth.window.ms", "300000", null, "sliding window of post-GC heap floors for vigil.heap.live.growth, milliseconds (one floor per tenth of it)", intRange(1000, 86_400_000));
    public static final ConfigKey HEAP_GROWTH_WARMUP = add("runtime.heap.growth.warmup.ms", "120000", null, "post-GC heap samples ignored after start-up for vigil.heap.live.growth, milliseconds", intRange(0, 86_400_000));
    public static final ConfigKey LOOPLAG_PLATFORM_ENABLED = add("looplag.platform.enabled", "true", null, "platform hiccup meter: a sleeping agent thread measuring its oversleep (vigil.eventloop.lag{source=platform})", bool());
    public static final ConfigKey LOOPLAG_PLATFORM_INTERVAL = add("looplag.platform.interval.ms", "100", null, "sleep of the platform hiccup meter, milliseconds", intRange(1, 1000));
    public static final ConfigKey LOOPLAG_REPORT_INTERVAL = add("looplag.report.interval.ms", "5000", null, "interval of the lag p50/p99/max gauges, milliseconds", intRange(100, 600_000));
    public static final ConfigKey LOOPLAG_NETTY_INTERVAL = add("looplag.netty.interval.ms", "100", null, "period of the probe task run on every Netty event loop (vigil.eventloop.lag{source=netty}), milliseconds", intRange(1, 60_000));
    public static final ConfigKey LOOPLAG_BLOCKED_THRESHOLD = add("looplag.blocked.threshold.ms", "2000", null, "a Netty event loop that runs none of its tasks for this long is reported (log with its stack, vigil.eventloop.blocked), milliseconds; 0 disables", intRange(0, 3_600_000));
    public static final ConfigKey LOOPLAG_BLOCKED_REQUEST_THRESHOLD = add("looplag.blocked.request.threshold.ms", "60000", null, "a thread serving one HTTP server request for this long is reported (source=request), milliseconds; 0 disables", intRange(0, 86_400_000));
    public static final ConfigKey LOOPLAG_EXECUTOR_ENABLED = add("looplag.executor.enabled", "false", null, "queue wait of ThreadPoolExecutor tasks, submit to start (vigil.eventloop.lag{source=executor}); costs a map insertion per task", bool());
    public static final ConfigKey LEAK_CONNECTION_THRESHOLD = add("leak.connection.threshold.ms", "60000", null, "a JDBC connection the application took (pool borrow, DataSource, DriverManager) and has not closed after this long is reported as a leak (vigil.leak.suspected{kind=connection}, a warning with the acquiring stack, /vigil/leaks), milliseconds; 0 turns connection-leak tracking off", intRange(0, 86_400_000));
    public static final ConfigKey LEAK_CONNECTION_STACKS = add("leak.connection.stacks", "after_first_leak", null, "when the acquiring stack of a JDBC connection is recorded for its leak report: after_first_leak (connections handed out by a known pool are tracked without it until the first connection leak is suspected, whose report gives the thread, trace and span instead; every stack from then on) or always (a stack walk per borrow)", oneOf("after_first_leak", "always"));
    public static final ConfigKey LEAK_WINDOW = add("leak.window.ms", "60000", null, "verdict window of listener and timer leak detection: a site is suspected once its count of registered listeners or periodic tasks grew in leak.growth.windows consecutive windows, milliseconds", intRange(100, 86_400_000));
    public static final ConfigKey LEAK_GROWTH_WINDOWS = add("leak.growth.windows", "3", null, "consecutive windows of growth before a listener or timer site is suspected, and windows without growth before it clears", intRange(1, 1000));
    public static final ConfigKey LEAK_LISTENER_MIN = add("leak.listener.min", "100", null, "listeners still registered from one site before it can be suspected of leaking (vigil.leak.suspected{kind=listener}); 0 turns listener tracking off", intRange(0, 100_000_000));
    public static final ConfigKey LEAK_TIMER_MIN = add("leak.timer.min", "20", null, "periodic tasks (java.util.Timer, ScheduledThreadPoolExecutor) still scheduled from one site before it can be suspected of leaking (vigil.leak.suspected{kind=timer}); 0 turns timer tracking off", intRange(0, 100_000_000));
    public static final ConfigKey JDBC_BIND_CAPTURE = add("jdbc.bind.capture", "off", null, "off (bind values never recorded) or slow_or_failed: PreparedStatement parameters become db.query.parameter.<0-based index> span attributes, only on statements that fail or run longer than jdbc.bind.slow.threshold.ms; secret-looking values redacted, values truncated", oneOf("off", "slow_or_failed"));
    public static final ConfigKey JDBC_BIND_SLOW_THRESHOLD = add("jdbc.bind.slow.threshold.ms", "1000", null, "statements at least this slow get their bind values when jdbc.bind.capture=slow_or_failed, milliseconds", intRange(0, 3_600_000));

    /** Prefix of the per-instrumentation switches, e.g. {@code instrumentation.servlet.enabled=false}. */
    public static final String INSTRUMENTATION_PREFIX = "instrumentation.";
    public static final String ENABLED_SUFFIX = ".enabled";

    private final String name;
    private final String defaultValue;
    private final String otelEnv;
    private final String description;
    private final Check check;

    private ConfigKey(String name, String defaultValue, String otelEnv, String description, Check check) {
        this.name = name;
        this.defaultValue = defaultValue;
        this.otelEnv = otelEnv;
        this.description = description;
        this.check = check;
    }

    private static ConfigKey add(String name, String def, String otelEnv, String description, Check check) {
        ConfigKey key = new ConfigKey(name, def, otelEnv, description, check);
        KEYS.put(name, key);
        return key;
    }

    public static Map<String, ConfigKey> all() {
        return KEYS;
    }

    /** The key for {@code name}, including dynamic per-instrumentation switches; null when unknown. */
    static ConfigKey find(String name) {
        ConfigKey key = KEYS.get(name);
        if (key == null && name.startsWith(INSTRUMENTATION_PREFIX) && name.endsWith(ENABLED_SUFFIX)
                && name.length() > INSTRUMENTATION_PREFIX.length() + ENABLED_SUFFIX.length()) {
            key = new ConfigKey(name, "true", null, "switch one instrumentation on or off", bool());
        }
        return key;
    }

    public String name() {
        return name;
    }

    public String defaultValue() {
        return defaultValue;
    }

    public String otelEnv() {
        return otelEnv;
    }

    /** The {@code -Dotel.*} form of the standard variable, or null. */
    String otelProperty() {
        return otelEnv == null ? null : otelEnv.toLowerCase(Locale.ROOT).replace('_', '.');
    }

    public String envName() {
        return "VIGIL_" + name.toUpperCase(Locale.ROOT).replace('.', '_');
    }

    public String description() {
        return description;
    }

    /** The normalised value, or null when {@code raw} is invalid for this key. */
    String check(String raw) {
        return check.apply(raw.trim());
    }

    /** Human description of what a valid value is, for the warning line. */
    String expectation() {
        return description;
    }

    private static Check any() {
        return v -> v;
    }

    private static Check bool() {
        return v -> v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false") ? v.toLowerCase(Locale.ROOT) : null;
    }

    private static Check intRange(int min, int max) {
        return v -> {
            try {
                int i = Integer.parseInt(v);
                return i >= min && i <= max ? Integer.toString(i) : null;
            } catch (NumberFormatException e) {
                return null;
            }
        };
    }

    private static Check ratio() {
        return v -> {
            try {
                double d = Double.parseDouble(v);
                return d >= 0 && d <= 1 ? Double.toString(d) : null;
            } catch (NumberFormatException e) {
                return null;
            }
        };
    }

    private static Check oneOf(String... allowed) {
        List<String> list = Arrays.asList(allowed);
        return v -> list.contains(v.toLowerCase(Locale.ROOT)) ? v.toLowerCase(Locale.ROOT) : null;
    }

    private static Check subsetOf(String... allowed) {
        List<String> list = Arrays.asList(allowed);
        return v -> {
            StringBuilder out = new StringBuilder();
            for (String part : v.split(",")) {
                String p = part.trim().toLowerCase(Locale.ROOT);
                if (!list.contains(p)) {
                    return null;
                }
                out.append(out.length() == 0 ? "" : ",").append(p);
            }
            return out.toString();
        };
    }

    private static Check url() {
        return v -> {
            try {
                java.net.URI uri = new java.net.URI(v);
                String scheme = uri.getScheme();
                return ("http".equals(scheme) || "https".equals(scheme)) && uri.getHost() != null ? v : null;
            } catch (java.net.URISyntaxException e) {
                return null;
            }
        };
    }

    private static Check urlOrEmpty() {
        Check url = url();
        return v -> v.isEmpty() ? v : url.apply(v);
    }

    private static Check keyValueList() {
        return v -> {
            if (v.isEmpty()) {
                return v;
            }
            for (String part : v.split(",")) {
                int eq = part.indexOf('=');
                if (eq <= 0 || part.substring(0, eq).isBlank()) {
                    return null;
                }
            }
            return v;
        };
    }
}
