package dev.vigil.agent.instrumentation;

import net.bytebuddy.description.type.TypeDefinition;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

import java.lang.ref.WeakReference;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static net.bytebuddy.matcher.ElementMatchers.isInterface;
import static net.bytebuddy.matcher.ElementMatchers.not;

/**
 * The names of a type and of all its super types (super classes and every interface they implement), worked out once
 * per class and shared by every instrumentation's matcher ({@link #inheritsAnyOf}): the JDBC instrumentations alone
 * asked Byte Buddy's {@code hasSuperType} four times per class the application loaded, each a walk of the whole
 * hierarchy, and that was the largest part of the JIT's extra work at start-up (sample app, orders service).
 *
 * <p>The last type's names are kept per thread (the matchers of one class run one after another on the thread that
 * loads it), weakly, so that the type's description is not held after its transformation. A super type that cannot
 * be resolved (an optional dependency missing from the loader) ends that branch of the walk: such a class is not a
 * type the agent instruments, and the other instrumentations still see it (with {@code hasSuperType} the failure
 * made the whole transformation of the class fail).
 */
public final class SuperTypeNames {
    private static final ThreadLocal<Last> LAST = new ThreadLocal<>();

    private SuperTypeNames() {
    }

    /**
     * Classes (not interfaces) that extend or implement one of {@code names}, matched cheapest first: the class file
     * must name something under one of {@code packages} ({@link ClassFileHints#mayReference}, before Byte Buddy
     * parses it), then the type must not be an interface, then the shared super-type walk ({@link #inheritsAnyOf}).
     */
    public static ElementMatcher.Junction<TypeDescription> classesInheriting(List<String> packages, String... names) {
        return ClassFileHints.mayReference(packages.toArray(new String[0])).and(not(isInterface()))
                .and(inheritsAnyOf(names));
    }

    /** Types that are, extend or implement one of {@code names} (binary names, as {@code hasSuperType(named(..))}). */
    public static ElementMatcher.Junction<TypeDescription> inheritsAnyOf(String... names) {
        Set<String> wanted = Set.of(names);
        return new ElementMatcher.Junction.AbstractBase<TypeDescription>() {
            @Override
            public boolean matches(TypeDescription type) {
                for (String name : of(type)) {
                    if (wanted.contains(name)) {
                        return true;
                    }
                }
                return false;
            }

            @Override
            public String toString() {
                return "inheritsAnyOf(" + wanted + ")";
            }
        };
    }

    /** The type's own name and its super types' names. */
    static Set<String> of(TypeDescription type) {
        Last last = LAST.get();
        if (last != null && last.type.get() == type) {
            return last.names;
        }
        Set<String> names = walk(type);
        LAST.set(new Last(type, names));
        return names;
    }

    private static Set<String> walk(TypeDescription type) {
        Set<String> names = new HashSet<>();
        ArrayDeque<TypeDefinition> pending = new ArrayDeque<>();
        pending.add(type);
        while (!pending.isEmpty()) {
            TypeDefinition next = pending.poll();
            try {
                TypeDescription erasure = next.asErasure();
                if (!names.add(erasure.getName())) {
                    continue;
                }
                TypeDescription.Generic superClass = erasure.getSuperClass();
                if (superClass != null) {
                    pending.add(superClass);
                }
                pending.addAll(erasure.getInterfaces());
            } catch (RuntimeException unresolved) {
                // a missing super type: this branch ends here (see the class comment)
            }
        }
        return names;
    }

    private static final class Last {
        final WeakReference<TypeDescription> type;
        final Set<String> names;

        Last(TypeDescription type, Set<String> names) {
            this.type = new WeakReference<>(type);
            this.names = names;
        }
    }
}
