package dev.vigil.agent.instrumentation.http;

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

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A request enters a com.sun.net.httpserver app, leaves through the JDK HttpClient into a second app. */
class HttpTracingIT {
    static OtlpReceiver receiver;
    static ForkedJvm front;
    static ForkedJvm back;
    static int frontPort;
    static int backPort;
    static final HttpClient TEST_CLIENT = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        receiver = new OtlpReceiver();
        String args = "otlp.endpoint=" + receiver.endpoint() + ",bsp.schedule.delay.ms=100,prometheus.port=0";
        front = ForkedJvm.builder("dev.vigil.testapps.JdkHttpServerApp").withAgent(args + ",service.name=front").start();
        back = ForkedJvm.builder("dev.vigil.testapps.JdkHttpServerApp").withAgent(args + ",service.name=back").start();
        frontPort = front.awaitReadyPort();
        backPort = back.awaitReadyPort();
    }

    @AfterAll
    static void stop() throws Exception {
        if (front != null) {
            front.close();
        }
        if (back != null) {
            back.close();
        }
        receiver.close();
    }

    static HttpResponse<String> get(int port, String pathAndQuery) throws Exception {
        return TEST_CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery))
                .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void serverAndClientSpansFormOneTraceAcrossTwoJvms() throws Exception {
        for (String client : List.of("jdk", "jdk-async")) {
            String target = "http://127.0.0.1:" + backPort + "/echo";
            HttpResponse<String> response = get(frontPort, "/front?client=" + client + "&target="
                    + URLEncoder.encode(target, StandardCharsets.UTF_8));
            assertThat(response.statusCode()).isEqualTo(200);
            String echoed = response.body();
            assertThat(echoed).as("downstream received a traceparent").contains("traceparent: 00-");
            String traceparent = echoed.lines().filter(l -> l.startsWith("traceparent: ")).findFirst().orElseThrow()
                    .substring("traceparent: ".length());
            String traceId = traceparent.split("-")[1];
            String parentId = traceparent.split("-")[2];

            List<ReceivedSpan> trace = await().atMost(Duration.ofSeconds(20))
                    .until(() -> receiver.spans(s -> s.traceId().equals(traceId)), spans -> spans.size() >= 3);
            ReceivedSpan frontServer = only(trace, SpanKind.SPAN_KIND_SERVER, "front");
            ReceivedSpan frontClient = only(trace, SpanKind.SPAN_KIND_CLIENT, "front");
            ReceivedSpan backServer = only(trace, SpanKind.SPAN_KIND_SERVER, "back");

            assertThat(frontClient.spanId()).as("downstream's parent is the client span (" + client + ")").isEqualTo(parentId);
            assertThat(frontClient.parentSpanId()).isEqualTo(frontServer.spanId());
            assertThat(backServer.parentSpanId()).isEqualTo(frontClient.spanId());
            assertThat(frontServer.parentSpanId()).isEmpty();

            assertThat(frontServer.name()).isEqualTo("GET /front");
            assertThat(frontServer.stringAttribute("http.request.method")).isEqualTo("GET");
            assertThat(frontServer.stringAttribute("http.route")).isEqualTo("/front");
            assertThat(frontServer.longAttribute("http.response.status_code")).isEqualTo(200L);
            assertThat(frontServer.stringAttribute("url.path")).isEqualTo("/front");
            assertThat(frontClient.name()).isEqualTo("GET");
            assertThat(frontClient.stringAttribute("url.full")).isEqualTo(target);
            assertThat(frontClient.stringAttribute("server.address")).isEqualTo("127.0.0.1");
            assertThat(frontClient.longAttribute("server.port")).isEqualTo((long) backPort);
            assertThat(frontClient.longAttribute("http.response.status_code")).isEqualTo(200L);
            assertThat(backServer.name()).isEqualTo("GET /echo");
            assertThat(frontServer.resourceAttribute("telemetry.sdk.name")).isEqualTo("vigil");
        }
    }

    @Test
    void anExceptionInAHandlerMarksTheServerSpanAsAnError() throws Exception {
        try {
            get(frontPort, "/fail?password=hunter2&x=1");
        } catch (java.io.IOException expected) {
            // com.sun.net.httpserver closes the connection when a handler throws
        }
        ReceivedSpan span = await().atMost(Duration.ofSeconds(20)).until(
                () -> receiver.spans(s -> "/fail".equals(s.stringAttribute("url.path"))), l -> !l.isEmpty()).get(0);
        assertThat(span.span().getStatus().getCode().name()).isEqualTo("STATUS_CODE_ERROR");
        assertThat(span.stringAttribute("error.type")).isEqualTo("java.lang.IllegalStateException");
        assertThat(span.stringAttribute("url.query")).isEqualTo("password=REDACTED&x=1");
    }

    static ReceivedSpan only(List<ReceivedSpan> spans, SpanKind kind, String service) {
        List<ReceivedSpan> matching = spans.stream()
                .filter(s -> s.kind() == kind && service.equals(s.resourceAttribute("service.name"))).toList();
        assertThat(matching).as(kind + " spans of " + service + " in " + spans).hasSize(1);
        return matching.get(0);
    }
}
