package dev.vigil.agent.instrumentation;

import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

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
 * <p>{@link CandidateFilter} scans the bytes of each class about to be defined once, for every registered prefix,
 * and records the result for the thread while Byte Buddy matches the class. For any other type (a loaded class
 * being retransformed, a super type) there is no hint and the matcher answers true: the full check decides.
 */
public final class ClassFileHints {
    /** Every prefix a matcher asked for (internal form, UTF-8), at most 64; registered while instrumentations are built. */
    private static final List<byte[]> PREFIXES = new ArrayList<>();
    /** {@link #PREFIXES} as the scan reads it, replaced on every registration. */
    private static volatile Table registered = new Table(List.of());
    private static final ThreadLocal<Current> CURRENT = ThreadLocal.withInitial(Current::new);

    private ClassFileHints() {
    }

    /**
     * Types whose class file names something under one of {@code packagePrefixes} (binary names, e.g.
     * {@code "java.sql."}), or types without a hint. Cheap: meant to come before structural matchers.
     */
    public static ElementMatcher.Junction<TypeDescription> mayReference(String... packagePrefixes) {
        long wanted = register(packagePrefixes);
        return new ElementMatcher.Junction.AbstractBase<TypeDescription>() {
            @Override
            public boolean matches(TypeDescription type) {
                Current current = CURRENT.get();
                return current.name == null || !current.name.equals(type.getName()) || (current.mask & wanted) != 0;
            }

            @Override
            public String toString() {
                return "mayReference(" + String.join(", ", packagePrefixes) + ")";
            }
        };
    }

    /** The bits of {@link #scan}'s mask that stand for {@code packagePrefixes} (binary names: {@code "java.sql."}). */
    static long register(String... packagePrefixes) {
        long bits = 0;
        synchronized (PREFIXES) {
            for (String prefix : packagePrefixes) {
                byte[] internal = prefix.replace('.', '/').getBytes(StandardCharsets.UTF_8);
                int index = indexOf(internal);
                if (index < 0) {
                    if (PREFIXES.size() == Long.SIZE) {
                        throw new IllegalStateException("more than " + Long.SIZE + " package prefixes to look for");
                    }
                    PREFIXES.add(internal);
                    registered = new Table(PREFIXES);
                    index = PREFIXES.size() - 1;
                }
                bits |= 1L << index;
            }
        }
        return bits;
    }

    private static int indexOf(byte[] prefix) {
        for (int i = 0; i < PREFIXES.size(); i++) {
            if (Arrays.equals(PREFIXES.get(i), prefix)) {
                return i;
            }
        }
        return -1;
    }

    /** Byte Buddy is about to match the class file {@code binaryName}, which {@link #scan} found {@code mask} in. */
    static void defining(String binaryName, long mask) {
        Current current = CURRENT.get();
        current.name = binaryName;
        current.mask = mask;
    }

    /** The class file of the last {@link #defining} call is done with: no hint on this thread until the next. */
    static void done() {
        CURRENT.get().name = null;
    }

    /** Which registered prefixes occur anywhere in {@code bytes} (a superset of the constant pool's names). */
    static long scan(byte[] bytes) {
        Table table = registered;
        long mask = 0;
        for (int i = 0; i < bytes.length; i++) {
            int[] starting = table.byFirstByte[bytes[i] & 0xff];
            if (starting != null) {
                for (int p : starting) {
                    if (regionMatches(bytes, i, table.prefixes[p])) {
                        mask |= 1L << p;
                    }
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

    /** The registered prefixes, and for each byte value the indices of those starting with it: one look-up per byte. */
    private static final class Table {
        final byte[][] prefixes;
        final int[][] byFirstByte = new int[256][];

        Table(List<byte[]> registered) {
            prefixes = registered.toArray(new byte[0][]);
            for (int p = 0; p < prefixes.length; p++) {
                int first = prefixes[p][0] & 0xff;
                int[] before = byFirstByte[first] == null ? new int[0] : byFirstByte[first];
                int[] after = Arrays.copyOf(before, before.length + 1);
                after[before.length] = p;
                byFirstByte[first] = after;
            }
        }
    }

    /** The class file being matched on one thread, and what {@link #scan} found in it. */
    private static final class Current {
        String name;
        long mask;
    }
}
