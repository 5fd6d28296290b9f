package dev.vigil.agent;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.security.ProtectionDomain;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * Defines the bridge classes ({@code dev/vigil/bridge/*.class} in the agent jar) in the boot class loader, so
 * that advice inlined into any class, whatever its loader, can call them.
 *
 * <p>Why not {@code Instrumentation.appendToBootstrapClassLoaderSearch}: appending to the boot class path makes
 * the JVM print a warning and turn off class-data sharing for application classes, which slows the start-up of
 * every application. Defining a dozen classes does neither. The launcher exports {@code jdk.internal.misc} to
 * this loader only, for this call.
 *
 * <p>Must not reference any bridge class itself: it runs before they exist.
 */
public final class BridgeInstaller {
    private static final String PREFIX = "dev/vigil/bridge/";
    private static final String PROBE = "dev.vigil.bridge.Hooks";

    private BridgeInstaller() {
    }

    public static void define(JarFile jar) throws Exception {
        if (definedAlready()) {
            return;
        }
        Map<String, byte[]> pending = new LinkedHashMap<>();
        for (Enumeration<JarEntry> entries = jar.entries(); entries.hasMoreElements(); ) {
            JarEntry entry = entries.nextElement();
            if (entry.getName().startsWith(PREFIX) && entry.getName().endsWith(".class")) {
                try (InputStream in = jar.getInputStream(entry)) {
                    String name = entry.getName().substring(0, entry.getName().length() - 6).replace('/', '.');
                    pending.put(name, in.readAllBytes());
                }
            }
        }
        if (pending.isEmpty()) {
            throw new IOException("no bridge classes in " + jar.getName());
        }
        Class<?> unsafeClass = Class.forName("jdk.internal.misc.Unsafe");
        Object unsafe = unsafeClass.getMethod("getUnsafe").invoke(null);
        Method defineClass = unsafeClass.getMethod("defineClass", String.class, byte[].class, int.class, int.class,
                ClassLoader.class, ProtectionDomain.class);
        // A class whose super type is another bridge class must come after it: retry until no progress.
        while (!pending.isEmpty()) {
            int before = pending.size();
            Throwable last = null;
            for (var it = pending.entrySet().iterator(); it.hasNext(); ) {
                Map.Entry<String, byte[]> e = it.next();
                try {
                    defineClass.invoke(unsafe, e.getKey(), e.getValue(), 0, e.getValue().length, null, null);
                    it.remove();
                } catch (InvocationTargetException ex) {
                    if (!(ex.getCause() instanceof NoClassDefFoundError)) {
                        throw ex;
                    }
                    last = ex.getCause();
                }
            }
            if (pending.size() == before) {
                throw new IllegalStateException("cannot define bridge classes " + pending.keySet(), last);
            }
        }
    }

    private static boolean definedAlready() {
        try {
            Class.forName(PROBE, false, null);
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }
}
