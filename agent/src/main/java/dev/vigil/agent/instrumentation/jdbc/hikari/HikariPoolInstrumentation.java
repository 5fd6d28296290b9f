package dev.vigil.agent.instrumentation.jdbc.hikari;

import dev.vigil.agent.instrumentation.ClassLoaderHas;
import dev.vigil.agent.instrumentation.Candidates;
import dev.vigil.agent.instrumentation.VigilInstrumentation;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.matcher.ElementMatcher;

import java.util.Map;

import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/** HikariCP: the pool's constructor and {@code getConnection(long)}, to bind its connection gauges once per pool. */
public final class HikariPoolInstrumentation implements VigilInstrumentation {
    private static final String POOL = "com.zaxxer.hikari.pool.HikariPool";

    @Override
    public String name() {
        return "hikaricp";
    }

    @Override
    public Candidates candidates() {
        return Candidates.named(POOL);
    }

    @Override
    public ElementMatcher<ClassLoader> classLoaders() {
        return ClassLoaderHas.classNamed(POOL);
    }

    @Override
    public Map<ElementMatcher<? super MethodDescription>, String> advice() {
        // the constructor, and getConnection for pools built before the agent finished starting (or attached)
        return Map.of(isConstructor().or(named("getConnection").and(takesArguments(1))), HikariPoolAdvice.class.getName());
    }
}
