package dev.vigil.agent.instrumentation;

import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.matcher.ElementMatchers;

import java.io.IOException;
import java.lang.ref.WeakReference;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A look at the raw class file before Byte Buddy parses it: whether it names anything in a package at all. A class
 * that implements a JDBC, JMS or servlet interface, or declares one of their methods, names that package in its
 * constant pool (the interface, or a parameter, return or exception type of the method: {@code java/sql/ResultSet},
 * {@code jakarta/jms/Message}, …). A class that names none declares nothing those instrumentations could weave
 * into (advice goes into declared methods only; an inherited one is woven where it is declared). So the structural
 * matchers ({@code not(isInterface())}, super types) that would make Byte Buddy parse every class the application
 * loads — the JIT compiling that parser was most of Vigil's start-up CPU — run only for the classes that pass.
 *
 * <p>The bytes are those of the class being defined, registered by the pool strategy ({@link SharedSuperTypes})
 * per thread and scanned once, lazily, for every registered prefix. For any other type (a loaded class being
 * retransformed, a super type) there is no hint and the matcher answers true: the full check decides.
 */
public final class ClassFileHints {
    /** Every prefix a matcher asked for (internal form, UTF-8), at most 64; registered while instrumentations are built. */
    private static final List<byte[]> PREFIXES = new ArrayList<>();
    /** {@link #PREFIXES} as the scan reads it, replaced on every registration. */
    private static volatile byte[][] registered = new byte[0][];
    private static final ThreadLocal<Current> CURRENT = new ThreadLocal<>();

    private ClassFileHints() {
    }

    /**
     * Types whose class file names something under one of {@code packagePrefixes} (binary names, e.g.
     * {@code "java.sql."}), or types without a hint. Cheap: meant to come before structural matchers.
     */
    public static ElementMatcher.Junction<TypeDescription> mayReference(String... packagePrefixes) {
        long bits = 0;
        synchronized (PREFIXES) {
            for (String prefix : packagePrefixes) {
                byte[] internal = prefix.replace('.', '/').getBytes(StandardCharsets.UTF_8);
                int index = indexOf(internal);
                if (index < 0) {
                    if (PREFIXES.size() == Long.SIZE) {
                        return ElementMatchers.any(); // no room for a hint: always true
                    }
                    PREFIXES.add(internal);
                    registered = PREFIXES.toArray(new byte[0][]);
                    index = PREFIXES.size() - 1;
                }
                bits |= 1L << index;
            }
        }
        long wanted = bits;
        return new ElementMatcher.Junction.AbstractBase<TypeDescription>() {
            @Override
            public boolean matches(TypeDescription type) {
                Current current = CURRENT.get();
                return current == null || !current.name.equals(type.getName()) || (current.mask() & wanted) != 0;
            }

            @Override
            public String toString() {
                return "mayReference(" + String.join(", ", packagePrefixes) + ")";
            }
        };
    }

    private static int indexOf(byte[] prefix) {
        for (int i = 0; i < PREFIXES.size(); i++) {
            if (Arrays.equals(PREFIXES.get(i), prefix)) {
                return i;
            }
        }
        return -1;
    }

    /** The class file {@code name} is about to be defined on this thread; {@code locator} serves its bytes. */
    static void defining(String name, ClassFileLocator locator) {
        CURRENT.set(new Current(name, locator));
    }

    /** Which registered prefixes occur anywhere in {@code bytes} (a superset of the constant pool's names). */
    static long scan(byte[] bytes) {
        byte[][] prefixes = registered;
        long mask = 0;
        for (int i = 0; i < bytes.length; i++) {
            byte first = bytes[i];
            for (int p = 0; p < prefixes.length; p++) {
                byte[] prefix = prefixes[p];
                if (prefix[0] == first && regionMatches(bytes, i, prefix)) {
                    mask |= 1L << p;
                }
            }
        }
        return mask;
    }

    private static boolean regionMatches(byte[] bytes, int from, byte[] prefix) {
        if (from + prefix.length > bytes.length) {
            return false;
        }
        for (int k = 1; k < prefix.length; k++) {
            if (bytes[from + k] != prefix[k]) {
                return false;
            }
        }
        return true;
    }

    /** The class being defined on one thread; its bytes weakly held (they are live for the transformation). */
    private static final class Current {
        final String name;
        private final WeakReference<ClassFileLocator> locator;
        private long mask;
        private boolean scanned;

        Current(String name, ClassFileLocator locator) {
            this.name = name;
            this.locator = new WeakReference<>(locator);
        }

        long mask() {
            if (!scanned) {
                ClassFileLocator bytes = locator.get();
                try {
                    ClassFileLocator.Resolution resolution = bytes == null ? null : bytes.locate(name);
                    mask = resolution != null && resolution.isResolved() ? scan(resolution.resolve()) : -1L;
                } catch (IOException | RuntimeException e) {
                    mask = -1L; // no hint: every matcher goes on to its full check
                }
                scanned = true;
            }
            return mask;
        }
    }
}
