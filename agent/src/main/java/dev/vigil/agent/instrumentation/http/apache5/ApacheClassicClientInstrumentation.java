package dev.vigil.agent.instrumentation.http.apache5;

import dev.vigil.agent.instrumentation.ClassLoaderHas;
import dev.vigil.agent.instrumentation.Candidates;
import dev.vigil.agent.instrumentation.VigilInstrumentation;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.matcher.ElementMatcher;

import java.util.Map;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * Apache HttpClient 5 classic. Every public {@code CloseableHttpClient.execute} overload (with or without a
 * target host, a context or a response handler) ends in the protected {@code doExecute(HttpHost,
 * ClassicHttpRequest, HttpContext)} of the two implementations the library ships; hooking that one method gives
 * one span per call without matching the dozen overloads, sees the request before the client copies it into its
 * exec chain, and sees the response whatever the caller does with it. The span ends when the response head
 * arrives (a response handler's work on the body is the caller's).
 */
public final class ApacheClassicClientInstrumentation implements VigilInstrumentation {
    @Override
    public String name() {
        return "apache-httpclient5";
    }

    @Override
    public Candidates candidates() {
        return Candidates.named("org.apache.hc.client5.http.impl.classic.InternalHttpClient",
                "org.apache.hc.client5.http.impl.classic.MinimalHttpClient");
    }

    @Override
    public ElementMatcher<ClassLoader> classLoaders() {
        return ClassLoaderHas.classNamed("org.apache.hc.client5.http.impl.classic.CloseableHttpClient");
    }

    @Override
    public Map<ElementMatcher<? super MethodDescription>, String> advice() {
        return Map.of(named("doExecute").and(takesArguments(3)), ApacheClassicExecuteAdvice.class.getName());
    }
}
