package dev.vigil.bridge;

/**
 * Route template of a servlet request from what the container and framework expose, for both servlet APIs.
 * Pure string logic; never throws for null input.
 */
public final class ServletRoutes {
    /** Request attribute where Spring MVC stores the matched pattern ({@code /owners/{ownerId}}). */
    public static final String SPRING_PATTERN = "org.springframework.web.servlet.HandlerMapping.bestMatchingPattern";
    /** Request attribute where Vigil's framework instrumentations (JAX-RS, …) store the matched template. */
    public static final String ROUTE_ATTRIBUTE = "dev.vigil.server.route";

    private ServletRoutes() {
    }

    /**
     * The route of a servlet request. A framework's template is relative to the servlet that dispatched to it (Spring
     * MVC and JAX-RS both match the path after the servlet path of a prefix mapping such as {@code /api/*}), so it is
     * prefixed with the context path and, for a prefix mapping, the mapping's fixed part. Without a framework
     * template the servlet mapping itself is the route: never the raw path, which would explode the cardinality.
     *
     * @param contextPath    the request's context path ("" for the root context)
     * @param frameworkRoute a framework's matched template (Spring MVC, JAX-RS), or null
     * @param mappingMatch   the {@code MappingMatch} name of the servlet mapping, or null
     * @param pattern        the servlet mapping pattern ({@code /api/*}, {@code *.do}, {@code /exact})
     */
    public static String route(String contextPath, Object frameworkRoute, String mappingMatch, String pattern) {
        String context = contextPath == null ? "" : contextPath;
        if (frameworkRoute != null) {
            String r = frameworkRoute.toString();
            String servletPrefix = "PATH".equals(mappingMatch) && pattern != null && pattern.endsWith("/*")
                    ? pattern.substring(0, pattern.length() - 2) : "";
            String route = context + servletPrefix + (r.startsWith("/") || r.isEmpty() ? r : "/" + r);
            return route.isEmpty() ? "/" : route;
        }
        if (mappingMatch == null) {
            return null;
        }
        switch (mappingMatch) {
            case "CONTEXT_ROOT":
                return context.isEmpty() ? "/" : context;
            case "DEFAULT":
                return context + "/*";
            case "EXACT":
            case "PATH":
                return context + pattern;
            case "EXTENSION":
                return context + "/" + pattern;
            default:
                return null;
        }
    }

    /**
     * Joins JAX-RS matched templates, given most recent first as Jersey's {@code ExtendedUriInfo.getMatchedTemplates()}
     * lists them ({@code ["/{id}", "/items"]} → {@code /items/{id}}), into one template relative to the application's
     * base URI. Returns null when nothing matched.
     */
    public static String jaxrsRoute(String[] templatesMostRecentFirst) {
        if (templatesMostRecentFirst == null || templatesMostRecentFirst.length == 0) {
            return null;
        }
        StringBuilder route = new StringBuilder();
        for (int i = templatesMostRecentFirst.length - 1; i >= 0; i--) {
            String part = templatesMostRecentFirst[i];
            if (part == null || part.isEmpty() || part.equals("/")) {
                continue;
            }
            if (route.length() > 0 && route.charAt(route.length() - 1) == '/') {
                route.setLength(route.length() - 1);
            }
            if (part.charAt(0) != '/') {
                route.append('/');
            }
            route.append(part);
        }
        if (route.length() > 1 && route.charAt(route.length() - 1) == '/') {
            route.setLength(route.length() - 1);
        }
        return route.length() == 0 ? "/" : route.toString();
    }
}
