package dev.vigil.agent.instrumentation.jdbc;

import dev.vigil.agent.instrumentation.ClassLoaderHas;
import dev.vigil.agent.instrumentation.Candidates;
import dev.vigil.agent.instrumentation.VigilInstrumentation;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

import java.util.Map;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * Every implementation of {@code java.sql.Connection}: {@code prepareStatement(String, …)} and
 * {@code prepareCall(String, …)}, to learn the SQL of the statement they return; {@code isValid(int)}, whose
 * internal statements are kept out of traces.
 */
public final class JdbcConnectionInstrumentation implements VigilInstrumentation {
    @Override
    public String name() {
        return "jdbc";
    }

    @Override
    public Candidates candidates() {
        return JdbcTypes.CANDIDATES;
    }

    @Override
    public ElementMatcher<TypeDescription> types() {
        return JdbcTypes.implementationsOf("java.sql.Connection");
    }

    @Override
    public ElementMatcher<ClassLoader> classLoaders() {
        return ClassLoaderHas.classNamed("java.sql.Connection");
    }

    @Override
    public Map<ElementMatcher<? super MethodDescription>, String> advice() {
        ElementMatcher.Junction<MethodDescription> instance = JdbcTypes.publicInstanceMethods();
        return Map.of(
                namedOneOf("prepareStatement", "prepareCall").and(takesArgument(0, String.class)).and(instance),
                JdbcPrepareAdvice.class.getName(),
                named("isValid").and(takesArguments(int.class)).and(instance), JdbcQuietAdvice.class.getName());
    }
}
