package dev.vigil.agent.instrumentation.jdbc.hikari;

import dev.vigil.agent.instrumentation.ClassLoaderHas;
import dev.vigil.agent.instrumentation.VigilInstrumentation;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

import java.util.Map;

import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.named;

/** HikariCP: the pool's constructor, to bind its connection gauges. */
public final class HikariPoolInstrumentation implements VigilInstrumentation {
    private static final String POOL = "com.zaxxer.hikari.pool.HikariPool";

    @Override
    public String name() {
        return "hikaricp";
    }

    @Override
    public ElementMatcher<TypeDescription> types() {
        return named(POOL);
    }

    @Override
    public ElementMatcher<ClassLoader> classLoaders() {
        return ClassLoaderHas.classNamed(POOL);
    }

    @Override
    public Map<ElementMatcher<? super MethodDescription>, String> advice() {
        return Map.of(isConstructor(), HikariPoolAdvice.class.getName());
    }
}
