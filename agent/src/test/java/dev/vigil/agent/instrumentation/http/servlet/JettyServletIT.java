package dev.vigil.agent.instrumentation.http.servlet;

import dev.vigil.testing.ForkedJvm;

/** Embedded Jetty 12 (ee10, jakarta.servlet 6.0). */
class JettyServletIT extends AbstractServletContainerIT {
    @Override
    ForkedJvm.Builder containerApp() {
        return ForkedJvm.builder("dev.vigil.testapps.servlet.jakarta.JettyApp")
                .libraries("jetty-ee10-servlet", "jetty-server", "jetty-http", "jetty-io", "jetty-util",
                        "jetty-security", "jetty-session", "jakarta.servlet-api", "slf4j-api");
    }

    @Override
    String service() {
        return "jetty";
    }
}
