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

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * Bind values, for {@code jdbc.bind.capture=slow_or_failed} only: every {@code PreparedStatement}'s
 * {@code set*(int index, value[, …])}, {@code setNull} and {@code clearParameters()}. With the default
 * {@code off} nothing is woven in, so the setters cost exactly what they cost without the agent.
 */
public final class JdbcBindInstrumentation implements VigilInstrumentation {
    @Override
    public String name() {
        return "jdbc";
    }

    @Override
    public boolean wanted(Config config) {
        return !config.get(ConfigKey.JDBC_BIND_CAPTURE).equals("off");
    }

    @Override
    public Candidates candidates() {
        return JdbcTypes.CANDIDATES;
    }

    @Override
    public ElementMatcher<TypeDescription> types() {
        return JdbcTypes.implementationsOf("java.sql.PreparedStatement");
    }

    @Override
    public ElementMatcher<ClassLoader> classLoaders() {
        return ClassLoaderHas.classNamed("java.sql.PreparedStatement");
    }

    @Override
    public Map<ElementMatcher<? super MethodDescription>, String> advice() {
        ElementMatcher.Junction<MethodDescription> instance = JdbcTypes.publicInstanceMethods();
        return Map.of(
                nameStartsWith("set").and(not(named("setNull"))).and(takesArgument(0, int.class))
                        .and(takesArguments(2).or(takesArguments(3)).or(takesArguments(4))).and(instance),
                JdbcBindAdvice.class.getName(),
                named("setNull").and(takesArgument(0, int.class)).and(instance)
                        .or(named("clearParameters").and(takesArguments(0)).and(instance)),
                JdbcBindNullAdvice.class.getName());
    }
}
