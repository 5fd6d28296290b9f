package dev.vigil.agent.instrumentation.http.jaxrs.jersey;

import dev.vigil.agent.instrumentation.ClassLoaderHas;
import dev.vigil.agent.instrumentation.Candidates;
import dev.vigil.agent.instrumentation.VigilInstrumentation;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.matcher.ElementMatcher;

import java.util.Map;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * Jersey 3.x/4.x (jakarta.ws.rs): records the matched resource template as the route of the server span.
 *
 * <p>{@code MatchedEndpointExtractorStage.apply} is the request stage that runs right after resource matching,
 * on the request thread and before the resource method: the matched templates are complete there, and the
 * request is at hand. The advice stores the joined template as a request property; under a servlet container
 * Jersey keeps request properties as servlet request attributes, which is where the servlet exit advice looks
 * ({@link dev.vigil.bridge.ServletRoutes#ROUTE_ATTRIBUTE}) and adds the context and servlet path.
 */
public final class JerseyInstrumentation implements VigilInstrumentation {
    static final String STAGE = "org.glassfish.jersey.server.internal.routing.MatchedEndpointExtractorStage";

    @Override
    public String name() {
        return "jersey";
    }

    @Override
    public ElementMatcher<ClassLoader> classLoaders() {
        return ClassLoaderHas.classNamed(STAGE);
    }

    @Override
    public Candidates candidates() {
        return Candidates.named(STAGE);
    }

    @Override
    public Map<ElementMatcher<? super MethodDescription>, String> advice() {
        return Map.of(named("apply").and(takesArguments(1)).and(takesArgument(0,
                        named("org.glassfish.jersey.server.internal.process.RequestProcessingContext"))),
                JerseyRouteAdvice.class.getName());
    }
}
