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
     * @param contextPath  the request's context path ("" for the root context)
     * @param frameworkRoute a framework's matched template (Spring MVC, JAX-RS), or null
     * @param mappingMatch the {@code MappingMatch} name of the servlet mapping, or null
     * @param pattern      the servlet mapping pattern ({@code /api/*}, {@code *.do}, {@code /exact})
     */
    public static String route(String contextPath, Object frameworkRoute, String mappingMatch, String pattern) {
        String context = contextPath == null ? "" : contextPath;
        if (frameworkRoute != null) {
            String r = frameworkRoute.toString();
            return context + (r.startsWith("/") || r.isEmpty() ? r : "/" + r);
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
}
