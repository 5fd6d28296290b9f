package dev.vigil.agent.trace;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Span names of the form {@code "{prefix} {suffix}"} (an HTTP method and a route, a messaging operation and a
 * destination), built once per pair instead of per span: a service uses few such pairs. At most
 * {@value #MAX_PREFIXES} prefixes and {@value #MAX_PER_PREFIX} suffixes per prefix are kept; beyond, a name is
 * built per call. Thread-safe.
 */
public final class SpanNames {
    static final int MAX_PREFIXES = 32;
    static final int MAX_PER_PREFIX = 256;

    private final ConcurrentHashMap<String, ConcurrentHashMap<String, String>> names = new ConcurrentHashMap<>();

    public String of(String prefix, String suffix) {
        ConcurrentHashMap<String, String> bySuffix = names.get(prefix);
        if (bySuffix == null) {
            if (names.size() >= MAX_PREFIXES) {
                return prefix + ' ' + suffix;
            }
            bySuffix = names.computeIfAbsent(prefix, p -> new ConcurrentHashMap<>());
        }
        String name = bySuffix.get(suffix);
        if (name == null) {
            name = prefix + ' ' + suffix;
            if (bySuffix.size() < MAX_PER_PREFIX) {
                bySuffix.putIfAbsent(suffix, name);
            }
        }
        return name;
    }
}
