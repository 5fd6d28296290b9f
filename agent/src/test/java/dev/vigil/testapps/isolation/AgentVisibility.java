package dev.vigil.testapps.isolation;

import java.io.PrintStream;
import java.net.URL;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.Iterator;
import java.util.List;
import java.util.ServiceLoader;

/**
 * What an application can see of the agent, from the application's side. Prints one line per probe:
 * {@code CLASS <hidden|visible> <name> <how>}, {@code RESOURCE <hidden|visible> <name>} and
 * {@code SERVICE <hidden|visible> <service type>}. The class names and service types to probe come from the
 * system property {@code probe.classes} / {@code probe.services} (comma-separated), set by the test from the
 * agent jar's own contents.
 */
public final class AgentVisibility {
    private AgentVisibility() {
    }

    public static void report(PrintStream out) {
        ClassLoader app = ClassLoader.getSystemClassLoader();
        for (String name : list("probe.classes")) {
            out.println("CLASS " + (loadable(name, app) ? "visible" : "hidden") + " " + name + " system-loader");
            out.println("CLASS " + (loadable(name, Thread.currentThread().getContextClassLoader()) ? "visible" : "hidden")
                    + " " + name + " context-loader");
            out.println("CLASS " + (loadable(name, null) ? "visible" : "hidden") + " " + name + " boot-loader");
            out.println("CLASS " + (loadable(name, ClassLoader.getPlatformClassLoader()) ? "visible" : "hidden")
                    + " " + name + " platform-loader");
            String resource = name.replace('.', '/') + ".class";
            out.println("RESOURCE " + (app.getResource(resource) != null ? "visible" : "hidden") + " " + resource);
        }
        for (String service : list("probe.services")) {
            out.println("SERVICE " + (serviceVisible(service, app) ? "visible" : "hidden") + " " + service);
        }
    }

    private static boolean loadable(String name, ClassLoader loader) {
        try {
            Class.forName(name, false, loader);
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /**
     * Visible if the service file is found in the agent jar through the application's class path, or if the service type is loadable
     * there and {@link ServiceLoader} yields a provider that belongs to Vigil.
     */
    private static boolean serviceVisible(String service, ClassLoader app) {
        try {
            String agentJar = System.getProperty("probe.agent.jar", "vigil-agent.jar");
            for (Enumeration<URL> files = app.getResources("META-INF/services/" + service); files.hasMoreElements(); ) {
                if (files.nextElement().toString().contains(agentJar)) {
                    return true;
                }
            }
        } catch (Exception e) {
            return true; // cannot tell: report it, the test fails
        }
        Class<?> type;
        try {
            type = Class.forName(service, false, app);
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
        Iterator<?> providers = ServiceLoader.load(type, app).stream().map(ServiceLoader.Provider::type).iterator();
        while (providers.hasNext()) {
            if (((Class<?>) providers.next()).getName().startsWith("dev.vigil.")) {
                return true;
            }
        }
        return false;
    }

    private static List<String> list(String property) {
        List<String> out = new ArrayList<>();
        for (String s : System.getProperty(property, "").split(",")) {
            if (!s.isBlank()) {
                out.add(s.trim());
            }
        }
        return out;
    }
}
