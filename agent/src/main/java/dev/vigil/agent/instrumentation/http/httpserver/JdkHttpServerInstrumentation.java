package dev.vigil.agent.instrumentation.http.httpserver;

import dev.vigil.agent.instrumentation.Candidates;
import dev.vigil.agent.instrumentation.VigilInstrumentation;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.matcher.ElementMatcher;

import java.util.Map;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * {@code com.sun.net.httpserver}: every exchange runs through {@code Filter.Chain.doFilter}, whatever the
 * context and whenever it was created, so servers started before an attach are traced from their next request.
 */
public final class JdkHttpServerInstrumentation implements VigilInstrumentation {
    @Override
    public String name() {
        return "httpserver";
    }

    @Override
    public Candidates candidates() {
        return Candidates.named("com.sun.net.httpserver.Filter$Chain");
    }

    @Override
    public Map<ElementMatcher<? super MethodDescription>, String> advice() {
        return Map.of(named("doFilter").and(takesArguments(1)), JdkHttpServerAdvice.class.getName());
    }
}
