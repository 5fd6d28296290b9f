package dev.vigil.agent.instrumentation.http.apache5;

import dev.vigil.agent.instrumentation.ClassLoaderHas;
import dev.vigil.agent.instrumentation.Candidates;
import dev.vigil.agent.instrumentation.VigilInstrumentation;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.matcher.ElementMatcher;

import java.util.Map;

import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.isDeclaredBy;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * Apache HttpClient 5 async ({@code CloseableHttpAsyncClient.execute} overloads, all final, all ending in
 * {@code doExecute} of {@code InternalAbstractHttpAsyncClient}, the base of the clients
 * {@code HttpAsyncClients.createDefault/custom/createHttp2Default} build). Three more points complete the
 * picture, see {@link dev.vigil.agent.http.ApacheAsyncClientTelemetry}: the client's future
 * ({@code BasicFuture} constructor, completion, failure, cancellation) and {@code BasicRequestProducer.sendRequest},
 * where the request becomes visible. The minimal clients ({@code HttpAsyncClients.createMinimal}) are not traced.
 */
public final class ApacheAsyncClientInstrumentation implements VigilInstrumentation {
    static final String CLIENT = "org.apache.hc.client5.http.impl.async.InternalAbstractHttpAsyncClient";
    static final String PRODUCER = "org.apache.hc.core5.http.nio.support.BasicRequestProducer";
    static final String FUTURE = "org.apache.hc.core5.concurrent.BasicFuture";

    @Override
    public String name() {
        return "apache-httpclient5-async";
    }

    @Override
    public Candidates candidates() {
        return Candidates.named(CLIENT, PRODUCER, FUTURE);
    }

    @Override
    public ElementMatcher<ClassLoader> classLoaders() {
        // httpcore5 may sit in a parent loader of httpclient5: match on httpcore5's future
        return ClassLoaderHas.classNamed(FUTURE);
    }

    @Override
    public Map<ElementMatcher<? super MethodDescription>, String> advice() {
        return Map.of(
                isDeclaredBy(named(CLIENT)).and(named("doExecute")).and(takesArguments(6)),
                ApacheAsyncExecuteAdvice.class.getName(),
                isDeclaredBy(named(PRODUCER)).and(named("sendRequest")).and(takesArguments(2)),
                ApacheAsyncRequestAdvice.class.getName(),
                isDeclaredBy(named(FUTURE)).and(isConstructor()), ApacheFutureCreatedAdvice.class.getName(),
                isDeclaredBy(named(FUTURE)).and(named("completed")).and(takesArguments(1)),
                ApacheFutureCompletedAdvice.class.getName(),
                isDeclaredBy(named(FUTURE)).and(named("failed")).and(takesArguments(1)),
                ApacheFutureFailedAdvice.class.getName(),
                isDeclaredBy(named(FUTURE)).and(named("cancel")).and(takesArguments(1))
                        .and(takesArgument(0, boolean.class)),
                ApacheFutureCancelledAdvice.class.getName());
    }
}
