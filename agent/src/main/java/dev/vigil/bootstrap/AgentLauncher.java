package dev.vigil.bootstrap;

import java.io.File;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URISyntaxException;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarFile;

/**
 * Entry point of {@code vigil-agent.jar}: {@code premain} (-javaagent), {@code agentmain} (attach) and
 * {@code main} (the command line: list, attach, config).
 *
 * <p>This class and {@link AgentClassLoader} are the only implementation classes an application class loader can
 * see. They use nothing but the JDK. Everything else lives under {@code inst/} in the jar and is defined by
 * {@link AgentClassLoader}, so the application never sees the agent's Byte Buddy, OpenTelemetry or Micrometer.
 *
 * <p>Nothing thrown here reaches the application: a failure to start prints one line and the JVM carries on.
 */
public final class AgentLauncher {
    private static final String AGENT_MAIN = "dev.vigil.agent.VigilAgent";
    private static final String CLI_MAIN = "dev.vigil.agent.cli.Cli";
    private static final String BRIDGE_INSTALLER = "dev.vigil.agent.BridgeInstaller";
    private static final String INTERNAL_MISC = "jdk.internal.misc";
    /** Set in the target JVM once the agent runs; also read by {@code attach} to refuse a second agent. */
    public static final String RUNNING_PROPERTY = "vigil.agent.running";

    private AgentLauncher() {
    }

    public static void premain(String args, Instrumentation inst) {
        start(args, inst, false);
    }

    public static void agentmain(String args, Instrumentation inst) {
        start(args, inst, true);
    }

    public static void main(String[] args) throws Throwable {
        File jar = agentJar();
        AgentClassLoader loader = new AgentClassLoader(new JarFile(jar, false), jar, ClassLoader.getSystemClassLoader());
        Method main = loader.loadClass(CLI_MAIN).getMethod("main", File.class, String[].class);
        try {
            main.invoke(null, jar, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private static synchronized void start(String args, Instrumentation inst, boolean attached) {
        try {
            if (System.getProperty(RUNNING_PROPERTY) != null) {
                System.err.println("[vigil] WARN agent already running in this JVM (since "
                        + System.getProperty(RUNNING_PROPERTY) + "); this second load was ignored");
                return;
            }
            File jar = agentJar();
            JarFile jarFile = new JarFile(jar, false);
            AgentClassLoader loader = new AgentClassLoader(jarFile, jar, ClassLoader.getPlatformClassLoader());
            // The bridge (dev/vigil/bridge) must be visible from every class loader that inlined advice runs in,
            // so it is defined in the boot loader. jdk.internal.misc is opened to the agent's loader only.
            inst.redefineModule(Object.class.getModule(), Set.of(), Map.of(INTERNAL_MISC, Set.of(loader.getUnnamedModule())),
                    Map.of(), Set.of(), Map.of());
            loader.loadClass(BRIDGE_INSTALLER).getMethod("define", JarFile.class).invoke(null, jarFile);
            Method startMethod = loader.loadClass(AGENT_MAIN)
                    .getMethod("start", Instrumentation.class, String.class, boolean.class, File.class);
            startMethod.invoke(null, inst, args, attached, jar);
        } catch (Throwable t) {
            Throwable cause = t instanceof InvocationTargetException ? t.getCause() : t;
            System.err.println("[vigil] ERROR agent did not start, the application runs without it: " + cause);
        }
    }

    private static File agentJar() throws URISyntaxException {
        return new File(AgentLauncher.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    }
}
