package dev.vigil.agent.instrumentation.http.servlet;

import dev.vigil.testing.ForkedJvm;
import dev.vigil.testing.OtlpReceiver.ReceivedSpan;
import io.opentelemetry.proto.trace.v1.Span.SpanKind;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Embedded Tomcat 11 (jakarta.servlet 6.1), plus Jersey 4 deployed in a second context. */
class TomcatServletIT extends AbstractServletContainerIT {
    @Override
    ForkedJvm.Builder containerApp() {
        return ForkedJvm.builder("dev.vigil.testapps.servlet.jakarta.TomcatApp")
                .libraries("tomcat-embed-core", "tomcat-annotations-api",
                        "jersey-container-servlet", "jersey-server", "jersey-common", "jersey-client", "jersey-hk2",
                        "hk2-locator", "hk2-api", "hk2-utils", "aopalliance-repackaged", "javassist",
                        "osgi-resource-locator", "jakarta.ws.rs-api", "jakarta.inject-api", "jakarta.annotation-api",
                        "jakarta.validation-api", "jakarta.xml.bind-api", "jakarta.activation-api");
    }

    @Override
    String service() {
        return "tomcat";
    }

    @Test
    void jerseyTemplateWithContextAndServletPathIsTheRoute() throws Exception {
        String traceId = randomHex(16);
        HttpResponse<String> response = get("/shop/jaxrs/items/42", "00-" + traceId + "-" + randomHex(8) + "-01");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("item 42");
        List<ReceivedSpan> spans = await().atMost(Duration.ofSeconds(20))
                .until(() -> receiver.spans(s -> s.traceId().equals(traceId)), l -> !l.isEmpty());
        ReceivedSpan server = only(spans, SpanKind.SPAN_KIND_SERVER, service());
        assertThat(server.name()).isEqualTo("GET /shop/jaxrs/items/{id}");
        assertThat(server.stringAttribute("http.route")).isEqualTo("/shop/jaxrs/items/{id}");
        assertThat(server.stringAttribute("url.path")).isEqualTo("/shop/jaxrs/items/42");
    }

    @Test
    void jerseyClassLevelTemplateAloneIsTheRoute() throws Exception {
        String traceId = randomHex(16);
        assertThat(get("/shop/jaxrs/items", "00-" + traceId + "-" + randomHex(8) + "-01").statusCode()).isEqualTo(200);
        List<ReceivedSpan> spans = await().atMost(Duration.ofSeconds(20))
                .until(() -> receiver.spans(s -> s.traceId().equals(traceId)), l -> !l.isEmpty());
        assertThat(only(spans, SpanKind.SPAN_KIND_SERVER, service()).stringAttribute("http.route"))
                .isEqualTo("/shop/jaxrs/items");
    }
}
