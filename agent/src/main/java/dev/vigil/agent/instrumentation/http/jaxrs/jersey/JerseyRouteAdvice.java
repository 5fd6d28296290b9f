package dev.vigil.agent.instrumentation.http.jaxrs.jersey;

import dev.vigil.bridge.ServletRoutes;
import net.bytebuddy.asm.Advice;
import org.glassfish.jersey.server.ContainerRequest;
import org.glassfish.jersey.server.internal.process.RequestProcessingContext;
import org.glassfish.jersey.uri.UriTemplate;

import java.util.List;

/** Inlined into {@code MatchedEndpointExtractorStage.apply}: stores the matched template for the server span. */
public final class JerseyRouteAdvice {
    private JerseyRouteAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(@Advice.Argument(0) RequestProcessingContext context) {
        ContainerRequest request = context.request();
        List<UriTemplate> templates = request.getUriInfo().getMatchedTemplates();
        String[] parts = new String[templates.size()];
        for (int i = 0; i < parts.length; i++) {
            parts[i] = templates.get(i).getTemplate();
        }
        String route = ServletRoutes.jaxrsRoute(parts);
        if (route != null) {
            request.setProperty(ServletRoutes.ROUTE_ATTRIBUTE, route);
        }
    }
}
