package dev.vigil.agent.instrumentation.http.servlet;

import dev.vigil.testing.ForkedJvm;
import dev.vigil.testing.OtlpReceiver;
import dev.vigil.testing.OtlpReceiver.ReceivedSpan;
import io.opentelemetry.proto.trace.v1.Span.SpanKind;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static dev.vigil.agent.instrumentation.http.servlet.AbstractServletContainerIT.only;
import static dev.vigil.agent.instrumentation.http.servlet.AbstractServletContainerIT.randomHex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Spring Boot 4 (embedded Tomcat, Spring MVC), run from a class path as {@code java -cp … Main}: with the agent and
 * no route configuration, the span of a {@code @GetMapping("/owners/{ownerId}")} request is named by the template.
 */
class SpringBootRouteIT {
    static OtlpReceiver receiver;
    static ForkedJvm app;
    static ForkedJvm downstream;
    static int port;
    static int downstreamPort;

    @BeforeAll
    static void start() throws Exception {
        receiver = new OtlpReceiver();
        String agentArgs = "otlp.endpoint=" + receiver.endpoint() + ",bsp.schedule.delay.ms=100,prometheus.port=0";
        app = ForkedJvm.builder("dev.vigil.testapps.spring.OwnersApp")
                .libraries("spring", "jackson", "tomcat-embed-core", "micrometer-observation", "micrometer-commons",
                        "logback", "log4j", "slf4j-api", "jul-to-slf4j", "snakeyaml", "commons-logging",
                        "jakarta.annotation-api", "jspecify")
                .withAgent(agentArgs + ",service.name=owners").start();
        downstream = ForkedJvm.builder("dev.vigil.testapps.JdkHttpServerApp")
                .withAgent(agentArgs + ",service.name=downstream").start();
        port = app.awaitReadyPort();
        downstreamPort = downstream.awaitReadyPort();
    }

    @AfterAll
    static void stop() throws Exception {
        if (app != null) {
            app.close();
        }
        if (downstream != null) {
            downstream.close();
        }
        receiver.close();
    }

    @Test
    void aRestControllerRequestIsNamedByItsMappingTemplate() throws Exception {
        String traceId = randomHex(16);
        String target = "http://127.0.0.1:" + downstreamPort + "/echo";
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                        "http://127.0.0.1:" + port + "/owners/7?target=" + URLEncoder.encode(target, StandardCharsets.UTF_8)))
                .header("traceparent", "00-" + traceId + "-" + randomHex(8) + "-01")
                .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        List<ReceivedSpan> trace = await().atMost(Duration.ofSeconds(20))
                .until(() -> receiver.spans(s -> s.traceId().equals(traceId)), spans -> spans.size() >= 3);
        ReceivedSpan server = only(trace, SpanKind.SPAN_KIND_SERVER, "owners");
        ReceivedSpan client = only(trace, SpanKind.SPAN_KIND_CLIENT, "owners");
        assertThat(server.name()).isEqualTo("GET /owners/{ownerId}");
        assertThat(server.stringAttribute("http.route")).isEqualTo("/owners/{ownerId}");
        assertThat(server.stringAttribute("url.path")).isEqualTo("/owners/7");
        assertThat(server.longAttribute("http.response.status_code")).isEqualTo(200L);
        assertThat(client.parentSpanId()).isEqualTo(server.spanId());
        assertThat(response.body()).contains("traceparent: 00-" + traceId + "-" + client.spanId() + "-01");
        assertThat(only(trace, SpanKind.SPAN_KIND_SERVER, "downstream").parentSpanId()).isEqualTo(client.spanId());
    }

    @Test
    void anAsyncControllerSpanEndsWithTheAsyncResult() throws Exception {
        String traceId = randomHex(16);
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                        "http://127.0.0.1:" + port + "/owners/7/pets"))
                .header("traceparent", "00-" + traceId + "-" + randomHex(8) + "-01")
                .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        List<ReceivedSpan> spans = await().atMost(Duration.ofSeconds(20))
                .until(() -> receiver.spans(s -> s.traceId().equals(traceId)), l -> !l.isEmpty());
        ReceivedSpan server = only(spans, SpanKind.SPAN_KIND_SERVER, "owners");
        assertThat(server.name()).isEqualTo("GET /owners/{ownerId}/pets");
        assertThat(server.longAttribute("http.response.status_code")).as("status set by the async result").isEqualTo(201L);
    }
}
