package dev.vigil.agent.instrumentation;

import net.bytebuddy.matcher.ElementMatcher;

import java.lang.ref.WeakReference;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * Matches class loaders that can see a given class, so that type matching (the costly part of start-up and of
 * every class load) only runs where a library is present. Results are cached per loader, weakly.
 */
public final class ClassLoaderHas implements ElementMatcher<ClassLoader> {
    private final String resource;
    private final Map<ClassLoader, Boolean> cache = new WeakHashMap<>();
    private volatile Last last;

    private ClassLoaderHas(String className) {
        this.resource = className.replace('.', '/') + ".class";
    }

    public static ClassLoaderHas classNamed(String className) {
        return new ClassLoaderHas(className);
    }

    @Override
    public boolean matches(ClassLoader loader) {
        if (loader == null) {
            return false; // third-party libraries never live on the bootstrap class path
        }
        // called for every class loaded, once per instrumentation: the loader of the previous call, lock-free
        Last previous = last;
        if (previous != null && previous.get() == loader) {
            return previous.found;
        }
        synchronized (cache) {
            Boolean known = cache.get(loader);
            if (known != null) {
                last = new Last(loader, known);
                return known;
            }
        }
        boolean found;
        try {
            found = loader.getResource(resource) != null;
        } catch (RuntimeException e) {
            found = false;
        }
        synchronized (cache) {
            cache.put(loader, found);
        }
        last = new Last(loader, found);
        return found;
    }

    /** The last loader looked at, weakly, and the answer for it. */
    private static final class Last extends WeakReference<ClassLoader> {
        final boolean found;

        Last(ClassLoader loader, boolean found) {
            super(loader);
            this.found = found;
        }
    }
}
