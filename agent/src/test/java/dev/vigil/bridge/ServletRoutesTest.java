package dev.vigil.bridge;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ServletRoutesTest {
    @Test
    void servletMappingIsTheRouteWithoutAFramework() {
        assertThat(ServletRoutes.route("", null, "PATH", "/api/items/*")).isEqualTo("/api/items/*");
        assertThat(ServletRoutes.route("/shop", null, "PATH", "/api/*")).isEqualTo("/shop/api/*");
        assertThat(ServletRoutes.route("", null, "EXACT", "/api/fail")).isEqualTo("/api/fail");
        assertThat(ServletRoutes.route("", null, "EXTENSION", "*.do")).isEqualTo("/*.do");
        assertThat(ServletRoutes.route("", null, "DEFAULT", "/")).isEqualTo("/*");
        assertThat(ServletRoutes.route("", null, "CONTEXT_ROOT", "")).isEqualTo("/");
        assertThat(ServletRoutes.route("/shop", null, "CONTEXT_ROOT", "")).isEqualTo("/shop");
        assertThat(ServletRoutes.route(null, null, null, null)).isNull();
    }

    @Test
    void frameworkTemplateIsPrefixedWithContextAndServletPath() {
        assertThat(ServletRoutes.route("", "/owners/{ownerId}", "DEFAULT", "/")).isEqualTo("/owners/{ownerId}");
        assertThat(ServletRoutes.route("/shop", "/items/{id}", "PATH", "/jaxrs/*")).isEqualTo("/shop/jaxrs/items/{id}");
        assertThat(ServletRoutes.route("", "items/{id}", "PATH", "/api/*")).isEqualTo("/api/items/{id}");
        assertThat(ServletRoutes.route("", "/", "PATH", "/api/*")).isEqualTo("/api/");
        assertThat(ServletRoutes.route("", "", "DEFAULT", "/")).isEqualTo("/");
        assertThat(ServletRoutes.route("", "/x", "EXACT", "/x")).isEqualTo("/x");
        assertThat(ServletRoutes.route("", "/x", null, null)).as("Servlet < 4: no mapping known").isEqualTo("/x");
    }

    @Test
    void jaxrsTemplatesAreJoinedOutermostFirst() {
        assertThat(ServletRoutes.jaxrsRoute(new String[] {"/{id}", "/items"})).isEqualTo("/items/{id}");
        assertThat(ServletRoutes.jaxrsRoute(new String[] {"{id}/", "items/"})).isEqualTo("/items/{id}");
        assertThat(ServletRoutes.jaxrsRoute(new String[] {"/", "/items"})).isEqualTo("/items");
        assertThat(ServletRoutes.jaxrsRoute(new String[] {"/items"})).isEqualTo("/items");
        assertThat(ServletRoutes.jaxrsRoute(new String[] {"/"})).isEqualTo("/");
        assertThat(ServletRoutes.jaxrsRoute(new String[] {"/{a}", "/sub", "/root"})).isEqualTo("/root/sub/{a}");
        assertThat(ServletRoutes.jaxrsRoute(new String[0])).isNull();
        assertThat(ServletRoutes.jaxrsRoute(null)).isNull();
    }
}
