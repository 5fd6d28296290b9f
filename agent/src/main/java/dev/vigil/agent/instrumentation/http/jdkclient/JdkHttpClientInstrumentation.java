package dev.vigil.agent.instrumentation.http.jdkclient;

import dev.vigil.agent.instrumentation.Candidates;
import dev.vigil.agent.instrumentation.VigilInstrumentation;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.matcher.ElementMatcher;

import java.util.Map;

import static net.bytebuddy.matcher.ElementMatchers.isPublic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/** {@code java.net.http.HttpClient}: the JDK implementation's public {@code send} and {@code sendAsync}. */
public final class JdkHttpClientInstrumentation implements VigilInstrumentation {
    @Override
    public String name() {
        return "jdkhttpclient";
    }

    @Override
    public Candidates candidates() {
        return Candidates.named("jdk.internal.net.http.HttpClientImpl");
    }

    @Override
    public Map<ElementMatcher<? super MethodDescription>, String> advice() {
        return Map.of(
                named("send").and(takesArguments(2)).and(isPublic()), JdkHttpClientSendAdvice.class.getName(),
                named("sendAsync").and(takesArguments(3)).and(isPublic()), JdkHttpClientSendAsyncAdvice.class.getName());
    }
}
