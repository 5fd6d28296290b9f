package dev.vigil.agent.instrumentation.http.servlet;

import dev.vigil.testing.ForkedJvm;

/** Undertow 2.2 (javax.servlet 4): the javax advice against a real container. */
class UndertowServletIT extends AbstractServletContainerIT {
    @Override
    ForkedJvm.Builder containerApp() {
        return ForkedJvm.builder("dev.vigil.testapps.servlet.javax.UndertowApp")
                .libraries("undertow-servlet", "undertow-core", "jboss-logging", "xnio-api", "xnio-nio",
                        "wildfly-common", "wildfly-client-config", "jboss-threads", "jboss-servlet-api_4.0_spec",
                        "jboss-annotations-api_1.3_spec");
    }

    @Override
    String service() {
        return "undertow";
    }
}
