package dev.vigil.agent.instrumentation.jdbc;

import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

import static net.bytebuddy.matcher.ElementMatchers.hasSuperType;
import static net.bytebuddy.matcher.ElementMatchers.isInterface;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.not;

/** Type matching shared by the JDBC instrumentations. */
final class JdbcTypes {
    private JdbcTypes() {
    }

    /**
     * Concrete implementations of a {@code java.sql} interface, from drivers and pools: the JDK's own packages are
     * excluded by name first, which is cheap, before the super-type walk.
     */
    static ElementMatcher<TypeDescription> implementationsOf(String sqlInterface) {
        return not(nameStartsWith("java.").or(nameStartsWith("javax.")).or(nameStartsWith("jdk."))
                .or(nameStartsWith("sun.")).or(nameStartsWith("com.sun.")))
                .and(not(isInterface()))
                .and(hasSuperType(named(sqlInterface)));
    }
}
