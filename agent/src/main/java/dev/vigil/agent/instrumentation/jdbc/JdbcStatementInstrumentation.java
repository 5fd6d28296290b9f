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
 * Every implementation of {@code java.sql.Statement} (so {@code PreparedStatement} and {@code CallableStatement}
 * too), whatever the driver or pool: the {@code execute*} methods, {@code addBatch(String)} and
 * {@code clearBatch()}. Pools' proxies and drivers' own wrappers are matched as well; the call-depth guard in
 * the advice leaves one span per logical call.
 */
public final class JdbcStatementInstrumentation implements VigilInstrumentation {
    static final String[] EXECUTE = {"execute", "executeQuery", "executeUpdate", "executeLargeUpdate"};

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
        return JdbcTypes.implementationsOf("java.sql.Statement");
    }

    @Override
    public ElementMatcher<ClassLoader> classLoaders() {
        return ClassLoaderHas.classNamed("java.sql.Statement");
    }

    @Override
    public Map<ElementMatcher<? super MethodDescription>, String> advice() {
        ElementMatcher.Junction<MethodDescription> concrete = JdbcTypes.publicInstanceMethods();
        return Map.of(
                namedOneOf(EXECUTE).and(takesArgument(0, String.class)).and(concrete),
                JdbcExecuteSqlAdvice.class.getName(),
                namedOneOf(EXECUTE).and(takesArguments(0)).and(concrete), JdbcExecuteAdvice.class.getName(),
                namedOneOf("executeBatch", "executeLargeBatch").and(takesArguments(0)).and(concrete),
                JdbcExecuteBatchAdvice.class.getName(),
                named("addBatch").and(takesArguments(String.class)).and(concrete), JdbcAddBatchAdvice.class.getName(),
                named("clearBatch").and(takesArguments(0)).and(concrete), JdbcClearBatchAdvice.class.getName());
    }
}
