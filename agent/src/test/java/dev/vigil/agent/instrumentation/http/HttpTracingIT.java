package dev.vigil.agent.instrumentation.http;

import dev.vigil.testing.ForkedJvm;
import dev.vigil.testing.OtlpReceiver;
import dev.vigil.testing.OtlpReceiver.ReceivedSpan;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Server side of com.sun.net.httpserver; client calls across two apps are in {@link HttpClientTracingIT}. */
class HttpTracingIT {
    static OtlpReceiver receiver;
    static ForkedJvm front;
    static int frontPort;
    static final HttpClient TEST_CLIENT = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        receiver = new OtlpReceiver();
        String args = "otlp.endpoint=" + receiver.endpoint() + ",bsp.schedule.delay.ms=100,prometheus.port=0";
        front = ForkedJvm.builder("dev.vigil.testapps.JdkHttpServerApp").withAgent(args + ",service.name=front").start();
        frontPort = front.awaitReadyPort();
    }

    @AfterAll
    static void stop() throws Exception {
        ForkedJvm.closeAll(front, receiver);
    }

    static HttpResponse<String> get(int port, String pathAndQuery) throws Exception {
        return TEST_CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery))
                .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
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

    @Test
    void theServerSpanContinuesTheCallersTraceAndNamesItsClient() throws Exception {
        String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        HttpResponse<String> response = TEST_CLIENT.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + frontPort + "/api/items?id=7"))
                .header("traceparent", "00-" + traceId + "-00f067aa0ba902b7-01")
                .header("tracestate", "vendor=v1")
                .header("User-Agent", "vigil-it/1.0")
                .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        ReceivedSpan span = await().atMost(Duration.ofSeconds(20)).until(
                () -> receiver.spans(s -> "/api/items".equals(s.stringAttribute("url.path"))), l -> !l.isEmpty())
                .get(0);
        assertThat(span.traceId()).isEqualTo(traceId);
        assertThat(span.parentSpanId()).isEqualTo("00f067aa0ba902b7");
        assertThat(span.span().getTraceState()).isEqualTo("vendor=v1");
        assertThat(span.stringAttribute("client.address")).isEqualTo("127.0.0.1");
        assertThat(span.stringAttribute("user_agent.original")).isEqualTo("vigil-it/1.0");
        assertThat(span.stringAttribute("server.address")).isEqualTo("127.0.0.1");
        assertThat(span.longAttribute("server.port")).isEqualTo(frontPort);
    }
}
