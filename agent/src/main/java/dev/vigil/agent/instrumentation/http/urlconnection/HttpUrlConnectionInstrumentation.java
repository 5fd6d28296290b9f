package dev.vigil.agent.instrumentation.http.urlconnection;

import dev.vigil.agent.instrumentation.Candidates;
import dev.vigil.agent.instrumentation.VigilInstrumentation;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.matcher.ElementMatcher;

import java.util.Map;

import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.isPublic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * {@code java.net.HttpURLConnection} as the JDK implements it: {@code connect}, {@code getOutputStream} and
 * {@code getInputStream} of {@code sun.net.www.protocol.http.HttpURLConnection} (plus the HTTPS delegate's own
 * {@code connect}), and {@code getResponseCode}, which only {@code java.net.HttpURLConnection} declares. HTTPS
 * connections hand every call to their delegate, so the delegate is the object the state is kept for.
 */
public final class HttpUrlConnectionInstrumentation implements VigilInstrumentation {
    @Override
    public String name() {
        return "urlconnection";
    }

    @Override
    public Candidates candidates() {
        return Candidates.named("java.net.HttpURLConnection", "sun.net.www.protocol.http.HttpURLConnection",
                "sun.net.www.protocol.https.AbstractDelegateHttpsURLConnection");
    }

    @Override
    public Map<ElementMatcher<? super MethodDescription>, String> advice() {
        return Map.of(
                namedOneOf("connect", "getOutputStream", "getInputStream").and(takesArguments(0)).and(isPublic())
                        .and(not(isAbstract())), HttpUrlConnectionAdvice.class.getName(),
                named("getResponseCode").and(takesArguments(0)).and(isPublic()).and(not(isAbstract())),
                HttpUrlConnectionResponseCodeAdvice.class.getName());
    }
}
