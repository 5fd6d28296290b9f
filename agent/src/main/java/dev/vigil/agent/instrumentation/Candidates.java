package dev.vigil.agent.instrumentation;

import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The class files an instrumentation could transform, told apart by their name and raw bytes alone: exact names,
 * name prefixes, and class files that name something in a package ({@link ClassFileHints}). It is a superset of
 * the instrumentation's {@link VigilInstrumentation#types()}: {@link CandidateFilter} hands Byte Buddy only the
 * class files some enabled instrumentation lists here, and every other class the application loads is left alone
 * before Byte Buddy sets anything up for it. Immutable.
 */
public final class Candidates {
    private final Set<String> names;
    private final List<String> prefixes;
    private final List<String> packages;

    private Candidates(Set<String> names, List<String> prefixes, List<String> packages) {
        this.names = Set.copyOf(names);
        this.prefixes = List.copyOf(prefixes);
        this.packages = List.copyOf(packages);
    }

    /** Classes with one of these binary names ({@code java.util.concurrent.ForkJoinPool}, {@code a.B$C}). */
    public static Candidates named(String... binaryNames) {
        return new Candidates(Set.of(binaryNames), List.of(), List.of());
    }

    /** Classes whose binary name starts with {@code prefix}. */
    public static Candidates nameStartsWith(String prefix) {
        return new Candidates(Set.of(), List.of(prefix), List.of());
    }

    /**
     * Classes whose class file names something in one of these packages ({@code "java.sql."}): what a class that
     * implements one of the package's interfaces or declares one of their methods always does.
     */
    public static Candidates referencing(String... packagePrefixes) {
        return new Candidates(Set.of(), List.of(), List.of(packagePrefixes));
    }

    public Candidates or(Candidates other) {
        Set<String> allNames = new LinkedHashSet<>(names);
        allNames.addAll(other.names);
        List<String> allPrefixes = new ArrayList<>(prefixes);
        allPrefixes.addAll(other.prefixes);
        List<String> allPackages = new ArrayList<>(packages);
        allPackages.addAll(other.packages);
        return new Candidates(allNames, allPrefixes, allPackages);
    }

    Set<String> names() {
        return names;
    }

    List<String> prefixes() {
        return prefixes;
    }

    List<String> packages() {
        return packages;
    }

    /** Whether {@code binaryName} is one of the {@link #named} names or starts with a {@link #nameStartsWith} prefix. */
    boolean byName(String binaryName) {
        if (names.contains(binaryName)) {
            return true;
        }
        for (String prefix : prefixes) {
            if (binaryName.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The same set as a type matcher: by name, and for {@link #referencing} by the class file's hint (types
     * without one, such as loaded classes being retransformed, pass that part).
     */
    public ElementMatcher.Junction<TypeDescription> matcher() {
        ElementMatcher<TypeDescription> hint = packages.isEmpty() ? null
                : ClassFileHints.mayReference(packages.toArray(new String[0]));
        return new ElementMatcher.Junction.AbstractBase<TypeDescription>() {
            @Override
            public boolean matches(TypeDescription type) {
                return byName(type.getName()) || hint != null && hint.matches(type);
            }

            @Override
            public String toString() {
                return Candidates.this.toString();
            }
        };
    }

    @Override
    public String toString() {
        return "candidates(names " + names + ", prefixes " + prefixes + ", referencing " + packages + ")";
    }
}
