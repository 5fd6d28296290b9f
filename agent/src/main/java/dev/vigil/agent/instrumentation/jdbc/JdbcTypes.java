package dev.vigil.agent.instrumentation.jdbc;

import dev.vigil.agent.instrumentation.Candidates;
import dev.vigil.agent.instrumentation.SuperTypeNames;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

import java.util.List;

import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.isPublic;
import static net.bytebuddy.matcher.ElementMatchers.isStatic;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;
import static net.bytebuddy.matcher.ElementMatchers.not;

/** Type matching shared by the JDBC instrumentations. */
final class JdbcTypes {
    private JdbcTypes() {
    }

    private static final String[] PACKAGES = {"java.sql.", "javax.sql."};
    /** Class files naming something in {@code java.sql} or {@code javax.sql}: the JDBC instrumentations' candidates. */
    static final Candidates CANDIDATES = Candidates.referencing(PACKAGES);

    /**
     * Concrete implementations of one of the given {@code java.sql}/{@code javax.sql} interfaces, from drivers and pools: the JDK's own packages are
     * excluded by name first, which is cheap, before the super-type walk.
     */
    static ElementMatcher.Junction<TypeDescription> implementationsOf(String... sqlInterfaces) {
        return not(nameStartsWith("java.").or(nameStartsWith("javax.")).or(nameStartsWith("jdk."))
                .or(nameStartsWith("sun.")).or(nameStartsWith("com.sun.")))
                .and(SuperTypeNames.classesInheriting(List.of(PACKAGES), sqlInterfaces));
    }

    /** Public, concrete instance methods: the implementations of the JDBC API's methods. */
    static ElementMatcher.Junction<MethodDescription> publicInstanceMethods() {
        return isPublic().and(not(isAbstract())).and(not(isStatic()));
    }
}
