package dev.vigil.agent.instrumentation.http.servlet;

import dev.vigil.testing.ForkedJvm;
import dev.vigil.testing.OtlpReceiver;
import dev.vigil.testing.OtlpReceiver.ReceivedSpan;
import io.opentelemetry.proto.trace.v1.Span.SpanKind;
import io.opentelemetry.proto.trace.v1.Status.StatusCode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One test over every servlet container: a request enters the container under test (through a filter that wraps
 * the request and a {@code RequestDispatcher.forward}) and leaves through the JDK HttpClient into a second forked
 * app ({@code com.sun.net.httpserver}). Subclasses name the container's test app and jars; the app deploys
 * {@code ItemServlets} (jakarta or javax) with the mappings that class documents.
 *
 * <p>The test itself sends a {@code traceparent}, so each request's trace id is known up front and the
 * container's extraction of the incoming context is checked too.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AbstractServletContainerIT {
    static final HttpClient TEST_CLIENT = HttpClient.newHttpClient();

    OtlpReceiver receiver;
    ForkedJvm app;
    ForkedJvm downstream;
    int port;
    int downstreamPort;
    int prometheusPort;

    /** The container's test app, with its library jars; the agent is added by the base class. */
    abstract ForkedJvm.Builder containerApp();

    /** The service name the container app runs under. */
    abstract String service();

    @BeforeAll
    void startApps() throws Exception {
        receiver = new OtlpReceiver();
        prometheusPort = freePort();
        String agentArgs = "otlp.endpoint=" + receiver.endpoint() + ",bsp.schedule.delay.ms=100";
        app = containerApp().withAgent(agentArgs + ",service.name=" + service() + ",prometheus.port=" + prometheusPort)
                .start();
        downstream = ForkedJvm.builder("dev.vigil.testapps.JdkHttpServerApp")
                .withAgent(agentArgs + ",service.name=downstream,prometheus.port=0").start();
        port = app.awaitReadyPort();
        downstreamPort = downstream.awaitReadyPort();
    }

    @AfterAll
    void stopApps() throws Exception {
        if (app != null) {
            app.close();
        }
        if (downstream != null) {
            downstream.close();
        }
        if (receiver != null) {
            receiver.close();
        }
    }

    @Test
    void oneServerSpanThroughFilterAndForwardIsTheParentOfTheClientSpan() throws Exception {
        String traceId = randomHex(16);
        String callerSpanId = randomHex(8);
        String target = "http://127.0.0.1:" + downstreamPort + "/echo";
        HttpResponse<String> response = get("/api/items/42?target=" + URLEncoder.encode(target, StandardCharsets.UTF_8),
                "00-" + traceId + "-" + callerSpanId + "-01");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("X-Filtered")).as("the filter ran").hasValue("yes");
        List<ReceivedSpan> trace = await().atMost(Duration.ofSeconds(20))
                .until(() -> receiver.spans(s -> s.traceId().equals(traceId)), spans -> spans.size() >= 3);
        ReceivedSpan server = only(trace, SpanKind.SPAN_KIND_SERVER, service());
        ReceivedSpan client = only(trace, SpanKind.SPAN_KIND_CLIENT, service());
        ReceivedSpan downstreamServer = only(trace, SpanKind.SPAN_KIND_SERVER, "downstream");

        assertThat(server.parentSpanId()).as("the container extracted the caller's traceparent").isEqualTo(callerSpanId);
        assertThat(client.parentSpanId()).as("client span is a child of the server span").isEqualTo(server.spanId());
        assertThat(response.body()).as("downstream received the client span as parent")
                .contains("traceparent: 00-" + traceId + "-" + client.spanId() + "-01");
        assertThat(downstreamServer.parentSpanId()).isEqualTo(client.spanId());

        assertThat(server.name()).isEqualTo("GET /api/items/*");
        assertThat(server.stringAttribute("http.route")).as("the servlet mapping, not the raw path").isEqualTo("/api/items/*");
        assertThat(server.stringAttribute("http.request.method")).isEqualTo("GET");
        assertThat(server.longAttribute("http.response.status_code")).isEqualTo(200L);
        assertThat(server.stringAttribute("url.path")).isEqualTo("/api/items/42");
        assertThat(server.stringAttribute("url.scheme")).isEqualTo("http");
        assertThat(server.stringAttribute("server.address")).isEqualTo("127.0.0.1");
        assertThat(server.longAttribute("server.port")).isEqualTo((long) port);
        assertThat(server.attribute("error.type")).isEmpty();
        assertThat(server.span().getStatus().getCode()).isEqualTo(StatusCode.STATUS_CODE_UNSET);
        assertThat(client.stringAttribute("url.full")).isEqualTo(target);
    }

    @Test
    void anExceptionFromAServletMakesAnErrorSpanWithStatus500() throws Exception {
        String traceId = randomHex(16);
        HttpResponse<String> response = get("/api/fail", "00-" + traceId + "-" + randomHex(8) + "-01");

        assertThat(response.statusCode()).isEqualTo(500);
        List<ReceivedSpan> spans = await().atMost(Duration.ofSeconds(20))
                .until(() -> receiver.spans(s -> s.traceId().equals(traceId)), l -> !l.isEmpty());
        ReceivedSpan server = only(spans, SpanKind.SPAN_KIND_SERVER, service());
        assertThat(server.name()).isEqualTo("GET /api/fail");
        assertThat(server.stringAttribute("http.route")).isEqualTo("/api/fail");
        assertThat(server.span().getStatus().getCode()).isEqualTo(StatusCode.STATUS_CODE_ERROR);
        assertThat(server.stringAttribute("error.type")).isEqualTo("java.lang.IllegalStateException");
        assertThat(server.longAttribute("http.response.status_code")).isEqualTo(500L);
        assertThat(server.span().getEventsList()).as("the exception is recorded")
                .anyMatch(e -> e.getName().equals("exception"));
    }

    @Test
    void anAsyncRequestIsEndedWhenTheContainerCompletesIt() throws Exception {
        String traceId = randomHex(16);
        CompletableFuture<HttpResponse<String>> parked = TEST_CLIENT.sendAsync(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/async/1"))
                        .header("traceparent", "00-" + traceId + "-" + randomHex(8) + "-01")
                        .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
        // the handler has returned (async mode) but the request is unanswered until /api/complete answers it
        assertThat(get("/api/complete", null).body()).isEqualTo("completed");
        HttpResponse<String> response = parked.get(20, TimeUnit.SECONDS);
        assertThat(response.statusCode()).isEqualTo(202);

        List<ReceivedSpan> spans = await().atMost(Duration.ofSeconds(20))
                .until(() -> receiver.spans(s -> s.traceId().equals(traceId)), l -> !l.isEmpty());
        ReceivedSpan server = only(spans, SpanKind.SPAN_KIND_SERVER, service());
        assertThat(server.name()).isEqualTo("GET /api/async/*");
        assertThat(server.longAttribute("http.response.status_code"))
                .as("the span ended at completion, not when the handler returned").isEqualTo(202L);
        ReceivedSpan completer = await().atMost(Duration.ofSeconds(20)).until(() -> receiver.spans(
                s -> "/api/complete".equals(s.stringAttribute("url.path"))), l -> !l.isEmpty()).get(0);
        assertThat(server.span().getEndTimeUnixNano()).as("ends after the request that completed it started")
                .isGreaterThan(completer.span().getStartTimeUnixNano());
    }

    @Test
    void theDurationHistogramIsScrapedPerRoute() throws Exception {
        assertThat(get("/api/items/7", null).statusCode()).isEqualTo(200);
        assertThat(get("/api/items/8", null).statusCode()).isEqualTo(200);

        String expected = "http_server_request_duration_seconds_bucket{error_type=\"\",http_request_method=\"GET\","
                + "http_response_status_code=\"200\",http_route=\"/api/items/*\",url_scheme=\"http\",le=\"0.005\"}";
        String scrape = await().atMost(Duration.ofSeconds(20)).until(this::scrape, body -> body.contains(expected));
        List<String> itemBuckets = scrape.lines()
                .filter(l -> l.startsWith("http_server_request_duration_seconds_bucket{")
                        && l.contains("http_route=\"/api/items/*\""))
                .toList();
        assertThat(itemBuckets).as("one series per advised bucket, plus +Inf").hasSize(15);
        assertThat(itemBuckets).anyMatch(l -> l.contains("le=\"+Inf\"} "));
        assertThat(scrape).as("raw paths never become labels").doesNotContain("http_route=\"/api/items/7\"");
        assertThat(scrape).containsPattern("http_server_request_duration_seconds_count\\{error_type=\"\","
                + "http_request_method=\"GET\",http_response_status_code=\"200\",http_route=\"/api/items/\\*\","
                + "url_scheme=\"http\"} [0-9]+");
    }

    HttpResponse<String> get(String pathAndQuery, String traceparent) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery))
                .timeout(Duration.ofSeconds(20));
        if (traceparent != null) {
            request.header("traceparent", traceparent);
        }
        return TEST_CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    String scrape() throws Exception {
        return TEST_CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + prometheusPort + "/metrics"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    static ReceivedSpan only(List<ReceivedSpan> spans, SpanKind kind, String service) {
        List<ReceivedSpan> matching = spans.stream()
                .filter(s -> s.kind() == kind && service.equals(s.resourceAttribute("service.name"))).toList();
        assertThat(matching).as(kind + " spans of " + service + " in " + spans).hasSize(1);
        return matching.get(0);
    }

    static String randomHex(int bytes) {
        byte[] b = new byte[bytes];
        ThreadLocalRandom.current().nextBytes(b);
        b[0] |= 1; // never all zero
        return HexFormat.of().formatHex(b);
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
