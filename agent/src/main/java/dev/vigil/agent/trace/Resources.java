package dev.vigil.agent.trace;

import dev.vigil.agent.config.Config;
import dev.vigil.agent.config.ConfigKey;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.sdk.resources.Resource;

import java.net.InetAddress;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/** Builds the resource every span and metric carries: service, host, process, runtime, telemetry SDK. */
public final class Resources {
    public static final String SDK_NAME = "vigil";

    private Resources() {
    }

    public static Resource create(Config config, String agentVersion) {
        Map<String, String> extra = config.getMap(ConfigKey.RESOURCE_ATTRIBUTES);
        String serviceName = config.get(ConfigKey.SERVICE_NAME);
        if (serviceName.isEmpty()) {
            serviceName = extra.getOrDefault("service.name", defaultServiceName(System.getProperty("sun.java.command")));
        }
        AttributesBuilder attrs = Attributes.builder();
        extra.forEach(attrs::put);
        attrs.put("service.name", serviceName);
        attrs.put("service.instance.id", UUID.randomUUID().toString());
        attrs.put("telemetry.sdk.name", SDK_NAME);
        attrs.put("telemetry.sdk.language", "java");
        attrs.put("telemetry.sdk.version", agentVersion);
        attrs.put("host.name", hostName());
        attrs.put("host.arch", System.getProperty("os.arch", "unknown"));
        attrs.put("os.type", osType());
        attrs.put(AttributeKey.longKey("process.pid"), ProcessHandle.current().pid());
        attrs.put("process.runtime.name", System.getProperty("java.runtime.name", "unknown"));
        attrs.put("process.runtime.version", System.getProperty("java.runtime.version", "unknown"));
        attrs.put("process.runtime.description", System.getProperty("java.vm.vendor", "") + " "
                + System.getProperty("java.vm.name", "") + " " + System.getProperty("java.vm.version", ""));
        return Resource.create(attrs.build());
    }

    /**
     * The main class's simple name, or the jar's name without {@code .jar}, from the JVM's command line
     * ({@code sun.java.command}); {@code unknown_service:java} when there is none.
     */
    static String defaultServiceName(String command) {
        if (command == null || command.isBlank()) {
            return "unknown_service:java";
        }
        String first = command.trim().split("\\s+")[0];
        if (first.endsWith(".jar")) {
            String file = first.substring(Math.max(first.lastIndexOf('/'), first.lastIndexOf('\\')) + 1);
            return file.substring(0, file.length() - 4);
        }
        int slash = first.indexOf('/');
        if (slash >= 0) { // module/main.class
            first = first.substring(slash + 1);
        }
        return first.substring(first.lastIndexOf('.') + 1);
    }

    private static String hostName() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) {
            return env;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "unknown";
        }
    }

    private static String osType() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        if (os.contains("linux")) {
            return "linux";
        } else if (os.contains("mac")) {
            return "darwin";
        } else if (os.contains("win")) {
            return "windows";
        }
        return os.isEmpty() ? "unknown" : os.replace(' ', '_');
    }
}
