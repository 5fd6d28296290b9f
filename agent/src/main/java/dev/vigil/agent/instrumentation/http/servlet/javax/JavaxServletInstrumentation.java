package dev.vigil.agent.instrumentation.http.servlet.javax;

import dev.vigil.agent.instrumentation.SuperTypeNames;
import dev.vigil.agent.instrumentation.ClassLoaderHas;
import dev.vigil.agent.instrumentation.Candidates;
import dev.vigil.agent.instrumentation.VigilInstrumentation;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

import java.util.List;
import java.util.Map;

import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.isPublic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * {@code javax.servlet}: the container's {@code FilterChain.doFilter} and every {@code Servlet.service}. The first
 * of them to see a request starts its server span; nested calls (filters, forwards, includes) see the handle in a
 * request attribute and do nothing.
 */
public final class JavaxServletInstrumentation implements VigilInstrumentation {
    private static final String PKG = "javax.servlet.";

    @Override
    public String name() {
        return "servlet";
    }

    @Override
    public ElementMatcher<ClassLoader> classLoaders() {
        return ClassLoaderHas.classNamed(PKG + "Servlet");
    }

    @Override
    public Candidates candidates() {
        return Candidates.referencing(PKG);
    }

    @Override
    public ElementMatcher<TypeDescription> types() {
        return SuperTypeNames.classesInheriting(List.of(PKG), PKG + "Servlet", PKG + "FilterChain");
    }

    @Override
    public Map<ElementMatcher<? super MethodDescription>, String> advice() {
        return Map.of(named("service").or(named("doFilter"))
                        .and(isPublic()).and(not(isAbstract()))
                        .and(takesArguments(2))
                        .and(takesArgument(0, named(PKG + "ServletRequest")))
                        .and(takesArgument(1, named(PKG + "ServletResponse"))),
                JavaxServletAdvice.class.getName());
    }
}
