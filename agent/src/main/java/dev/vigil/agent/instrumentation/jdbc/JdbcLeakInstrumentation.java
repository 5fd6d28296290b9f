package dev.vigil.agent.instrumentation.jdbc;

import dev.vigil.agent.config.Config;
import dev.vigil.agent.config.ConfigKey;
import dev.vigil.agent.instrumentation.ClassLoaderHas;
import dev.vigil.agent.instrumentation.Candidates;
import dev.vigil.agent.instrumentation.VigilInstrumentation;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

import java.util.Map;

import static net.bytebuddy.matcher.ElementMatchers.isDeclaredBy;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * Connection-leak tracking: where connections come from — every {@code javax.sql.DataSource} (pools included)
 * {@code getConnection()} / {@code getConnection(user, password)}, every {@code java.sql.Driver}
 * {@code connect(url, info)} (what {@code DriverManager.getConnection} calls) — and where they go,
 * {@code Connection.close()}. Not woven in at all when {@code leak.connection.threshold.ms=0}.
 */
public final class JdbcLeakInstrumentation implements VigilInstrumentation {
    @Override
    public String name() {
        return "jdbc";
    }

    @Override
    public boolean wanted(Config config) {
        return config.getInt(ConfigKey.LEAK_CONNECTION_THRESHOLD) > 0;
    }

    @Override
    public Candidates candidates() {
        return JdbcTypes.CANDIDATES;
    }

    @Override
    public ElementMatcher<TypeDescription> types() {
        return JdbcTypes.implementationsOf("javax.sql.DataSource", "java.sql.Driver", "java.sql.Connection");
    }

    @Override
    public ElementMatcher<ClassLoader> classLoaders() {
        return ClassLoaderHas.classNamed("java.sql.Connection");
    }

    @Override
    public Map<ElementMatcher<? super MethodDescription>, String> advice() {
        ElementMatcher.Junction<MethodDescription> instance = JdbcTypes.publicInstanceMethods();
        return Map.of(
                named("getConnection").and(takesArguments(0).or(takesArguments(String.class, String.class)))
                        .and(instance).and(isDeclaredBy(JdbcTypes.implementationsOf("javax.sql.DataSource"))),
                JdbcConnectAdvice.class.getName(),
                named("connect").and(takesArguments(2)).and(takesArgument(0, String.class)).and(instance)
                        .and(isDeclaredBy(JdbcTypes.implementationsOf("java.sql.Driver"))),
                JdbcConnectAdvice.class.getName(),
                named("close").and(takesArguments(0)).and(instance)
                        .and(isDeclaredBy(JdbcTypes.implementationsOf("java.sql.Connection"))),
                JdbcCloseAdvice.class.getName());
    }
}
