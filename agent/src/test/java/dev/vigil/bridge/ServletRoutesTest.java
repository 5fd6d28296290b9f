package dev.vigil.bridge;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ServletRoutesTest {
    @Test
    void frameworkRouteWinsAndIsPrefixedWithTheContextPath() {
        assertThat(ServletRoutes.route("/shop", "/owners/{ownerId}", "DEFAULT", "/")).isEqualTo("/shop/owners/{ownerId}");
        assertThat(ServletRoutes.route("", "items/{id}", "PATH", "/api/*")).isEqualTo("/items/{id}");
    }

    @Test
    void servletMappingsBecomeTemplates() {
        assertThat(ServletRoutes.route("", null, "PATH", "/api/items/*")).isEqualTo("/api/items/*");
        assertThat(ServletRoutes.route("/app", null, "EXACT", "/login")).isEqualTo("/app/login");
        assertThat(ServletRoutes.route("", null, "EXTENSION", "*.do")).isEqualTo("/*.do");
        assertThat(ServletRoutes.route("", null, "DEFAULT", "/")).isEqualTo("/*");
        assertThat(ServletRoutes.route("", null, "CONTEXT_ROOT", "")).isEqualTo("/");
        assertThat(ServletRoutes.route(null, null, null, null)).isNull();
    }
}
