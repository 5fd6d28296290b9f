package dev.vigil.testapps.loaders;

import java.net.URL;
import java.net.URLClassLoader;

/**
 * Webapp-style loader: looks in its own URLs first and asks its parent only for what it does not have. Given a
 * servlet API jar, it defines its own copy of {@code jakarta.servlet} even when the parent has one too (the case
 * that trips agents whose advice binds to the wrong copy).
 */
public final class ChildFirstClassLoader extends URLClassLoader {
    static {
        registerAsParallelCapable();
    }

    public ChildFirstClassLoader(String name, URL[] urls, ClassLoader parent) {
        super(name, urls, parent);
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        synchronized (getClassLoadingLock(name)) {
            Class<?> c = findLoadedClass(name);
            if (c == null && !name.startsWith("java.")) {
                try {
                    c = findClass(name);
                } catch (ClassNotFoundException notHere) {
                    // fall through to the parent
                }
            }
            if (c == null) {
                c = getParent().loadClass(name);
            }
            if (resolve) {
                resolveClass(c);
            }
            return c;
        }
    }
}
