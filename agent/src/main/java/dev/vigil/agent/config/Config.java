package dev.vigil.agent.config;

import dev.vigil.agent.log.AgentLog;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * The agent's effective configuration: an immutable snapshot read once at start-up.
 *
 * <p>Precedence, highest first: agent arguments ({@code -javaagent:vigil-agent.jar=k=v,k=v} or the
 * {@code attach} command's {@code k=v} words), system properties {@code -Dvigil.k=v}, environment
 * {@code VIGIL_K=v}, the properties file named by {@code config.file}, the standard OpenTelemetry settings
 * ({@code -Dotel.*}, then {@code OTEL_*}), the default.
 *
 * <p>A bad value never stops the agent: it is reported in one line naming the key, the value, where it came
 * from and the value used instead (the next source down, else the default). Unknown keys are reported likewise.
 * Problems are collected in {@link #problems()} and logged by {@link #logProblems()}.
 */
public final class Config {
    /** One resolved value and where it came from. */
    public record Value(String value, String origin) {
    }

    private final Map<String, Value> values;
    private final List<String> problems;

    private Config(Map<String, Value> values, List<String> problems) {
        this.values = Collections.unmodifiableMap(values);
        this.problems = Collections.unmodifiableList(problems);
    }

    /** Reads the live JVM's sources. */
    public static Config load(String agentArgs) {
        return load(agentArgs, System.getenv(), System.getProperties());
    }

    public static Config load(String agentArgs, Map<String, String> env, Properties sysProps) {
        List<String> problems = new ArrayList<>();
        List<Source> sources = new ArrayList<>();
        sources.add(Source.of("agent arguments", parseArgs(agentArgs, problems), problems));
        sources.add(Source.of("system property", prefixed(sysProps, "vigil."), problems));
        sources.add(Source.of("environment", fromEnv(env), problems));

        String file = firstNonEmpty(sources, ConfigKey.CONFIG_FILE.name());
        if (file != null) {
            sources.add(Source.of("file " + file, readFile(file, problems), problems));
        }
        Map<String, String> otelProps = new LinkedHashMap<>();
        Map<String, String> otelEnv = new LinkedHashMap<>();
        for (ConfigKey key : ConfigKey.all().values()) {
            if (key.otelEnv() != null) {
                String p = sysProps.getProperty(key.otelProperty());
                if (p != null) {
                    otelProps.put(key.name(), p);
                }
                String e = env.get(key.otelEnv());
                if (e != null) {
                    otelEnv.put(key.name(), e);
                }
            }
        }
        sources.add(new Source("-Dotel.* property", otelProps));
        sources.add(new Source("OTEL_* environment", otelEnv));

        Map<String, Value> resolved = new LinkedHashMap<>();
        for (ConfigKey key : ConfigKey.all().values()) {
            resolved.put(key.name(), resolve(key, sources, problems));
        }
        // Dynamic keys (per-instrumentation switches) that some source set.
        for (Source source : sources) {
            for (String name : source.values.keySet()) {
                if (!resolved.containsKey(name) && ConfigKey.find(name) != null) {
                    resolved.put(name, resolve(ConfigKey.find(name), sources, problems));
                }
            }
        }
        return new Config(resolved, problems);
    }

    private static Value resolve(ConfigKey key, List<Source> sources, List<String> problems) {
        List<String> rejected = new ArrayList<>();
        for (Source source : sources) {
            String raw = source.values.get(key.name());
            if (raw == null) {
                continue;
            }
            String checked = key.check(raw);
            if (checked != null) {
                reportRejected(key, rejected, source.name, checked, problems);
                return new Value(checked, source.name);
            }
            rejected.add("'" + describe(key, raw) + "' (from " + source.name + ")");
        }
        reportRejected(key, rejected, "default", key.defaultValue(), problems);
        return new Value(key.defaultValue(), "default");
    }

    private static void reportRejected(ConfigKey key, List<String> rejected, String usedOrigin, String used,
                                       List<String> problems) {
        for (String r : rejected) {
            problems.add("config " + key.name() + ": invalid value " + r + "; expected " + key.expectation()
                    + "; using " + (used.isEmpty() ? "(empty)" : "'" + describe(key, used) + "'") + " (" + usedOrigin + ")");
        }
    }

    /** The value as it may be printed: secrets (collector headers) are masked. */
    private static String describe(ConfigKey key, String raw) {
        if (key == ConfigKey.OTLP_HEADERS && !raw.isEmpty()) {
            StringBuilder masked = new StringBuilder();
            for (String part : raw.split(",")) {
                int eq = part.indexOf('=');
                masked.append(masked.length() == 0 ? "" : ",").append(eq < 0 ? "?" : part.substring(0, eq) + "=***");
            }
            return masked.toString();
        }
        return raw;
    }

    private static String firstNonEmpty(List<Source> sources, String name) {
        for (Source s : sources) {
            String v = s.values.get(name);
            if (v != null && !v.isBlank()) {
                return v.trim();
            }
        }
        return null;
    }

    /**
     * Parses agent-argument text: {@code key=value} items separated by commas. Inside an item {@code \,} is a
     * literal comma and {@code \\} a literal backslash, so list values fit in one argument
     * ({@code resource.attributes=team=core\,env=prod}); any other backslash is kept as it is. The same text is
     * accepted by {@code -javaagent:vigil-agent.jar=…} and, word by word, by the {@code attach} and {@code config}
     * commands, which join their words with commas.
     */
    static Map<String, String> parseArgs(String args, List<String> problems) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String part : splitArgs(args)) {
            if (part.isBlank()) {
                continue;
            }
            int eq = part.indexOf('=');
            if (eq <= 0) {
                problems.add("config: agent argument '" + part.trim() + "' is not key=value; ignored");
                continue;
            }
            out.put(part.substring(0, eq).trim(), part.substring(eq + 1).trim());
        }
        return out;
    }

    /** Splits agent-argument text into unescaped items (see {@link #parseArgs}). */
    public static List<String> splitArgs(String args) {
        List<String> items = new ArrayList<>();
        if (args == null || args.isEmpty()) {
            return items;
        }
        StringBuilder item = new StringBuilder();
        for (int i = 0; i < args.length(); i++) {
            char c = args.charAt(i);
            if (c == '\\' && i + 1 < args.length() && (args.charAt(i + 1) == ',' || args.charAt(i + 1) == '\\')) {
                item.append(args.charAt(++i));
            } else if (c == ',') {
                items.add(item.toString());
                item.setLength(0);
            } else {
                item.append(c);
            }
        }
        items.add(item.toString());
        return items;
    }

    /** The agent-argument text for {@code key=value} items taken literally: commas and backslashes are escaped. */
    public static String joinArgs(List<String> items) {
        StringBuilder out = new StringBuilder();
        for (String item : items) {
            out.append(out.length() == 0 ? "" : ",").append(item.replace("\\", "\\\\").replace(",", "\\,"));
        }
        return out.toString();
    }

    /**
     * Problems in agent-argument text alone (not key=value, unknown keys, invalid values), without reading the
     * environment, system properties or a configuration file: what {@code attach} checks before it touches a JVM.
     */
    public static List<String> checkArgs(String args) {
        List<String> problems = new ArrayList<>();
        Source source = Source.of("agent arguments", parseArgs(args, problems), problems);
        for (Map.Entry<String, String> e : source.values.entrySet()) {
            ConfigKey key = ConfigKey.find(e.getKey());
            if (key.check(e.getValue()) == null) {
                problems.add("config " + key.name() + ": invalid value '" + describe(key, e.getValue())
                        + "', expected " + key.expectation());
            }
        }
        return problems;
    }

    private static Map<String, String> prefixed(Properties props, String prefix) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String name : props.stringPropertyNames()) {
            if (name.startsWith(prefix) && !name.equals("vigil.agent.running")) {
                out.put(name.substring(prefix.length()), props.getProperty(name));
            }
        }
        return out;
    }

    private static Map<String, String> fromEnv(Map<String, String> env) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : env.entrySet()) {
            if (e.getKey().startsWith("VIGIL_")) {
                out.put(e.getKey().substring(6).toLowerCase(Locale.ROOT).replace('_', '.'), e.getValue());
            }
        }
        return out;
    }

    private static Map<String, String> readFile(String file, List<String> problems) {
        Map<String, String> out = new LinkedHashMap<>();
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(Path.of(file))) {
            p.load(r);
        } catch (IOException | RuntimeException e) {
            problems.add("config.file: cannot read '" + file + "' (" + e + "); continuing without it");
            return out;
        }
        for (String name : p.stringPropertyNames()) {
            out.put(name.startsWith("vigil.") ? name.substring(6) : name, p.getProperty(name));
        }
        return out;
    }

    /** One configuration source; unknown keys are reported when it is built. */
    private record Source(String name, Map<String, String> values) {
        static Source of(String name, Map<String, String> raw, List<String> problems) {
            Map<String, String> known = new LinkedHashMap<>();
            for (Map.Entry<String, String> e : raw.entrySet()) {
                if (ConfigKey.find(e.getKey()) == null) {
                    problems.add("config: unknown key '" + e.getKey() + "' (from " + name + "); ignored");
                } else {
                    known.put(e.getKey(), e.getValue());
                }
            }
            return new Source(name, known);
        }
    }

    public String get(ConfigKey key) {
        return values.get(key.name()).value();
    }

    public int getInt(ConfigKey key) {
        return Integer.parseInt(get(key));
    }

    public double getDouble(ConfigKey key) {
        return Double.parseDouble(get(key));
    }

    /** Parses a {@code k1=v1,k2=v2} value; keys and values are trimmed and percent-decoding is not applied. */
    public Map<String, String> getMap(ConfigKey key) {
        Map<String, String> out = new LinkedHashMap<>();
        String raw = get(key);
        if (raw.isEmpty()) {
            return out;
        }
        for (String part : raw.split(",")) {
            int eq = part.indexOf('=');
            out.put(part.substring(0, eq).trim(), java.net.URLDecoder.decode(part.substring(eq + 1).trim(),
                    java.nio.charset.StandardCharsets.UTF_8));
        }
        return out;
    }

    /** Whether instrumentation {@code name} is on (default on). */
    public boolean instrumentationEnabled(String name) {
        Value v = values.get(ConfigKey.INSTRUMENTATION_PREFIX + name + ConfigKey.ENABLED_SUFFIX);
        return v == null || Boolean.parseBoolean(v.value());
    }

    public Map<String, Value> values() {
        return values;
    }

    public List<String> problems() {
        return problems;
    }

    public void logProblems() {
        for (String p : problems) {
            AgentLog.warn(p);
        }
    }

    /** The effective configuration, one key per line with its origin; secrets masked. */
    public String describe() {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, Value> e : values.entrySet()) {
            ConfigKey key = ConfigKey.find(e.getKey());
            sb.append(String.format("%-28s = %-32s (%s)%n", e.getKey(), describe(key, e.getValue().value()),
                    e.getValue().origin()));
        }
        return sb.toString();
    }
}
