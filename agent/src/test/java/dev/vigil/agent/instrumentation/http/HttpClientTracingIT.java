package dev.vigil.agent.instrumentation.http;

import dev.vigil.testing.ForkedJvm;
import dev.vigil.testing.OtlpReceiver;
import dev.vigil.testing.OtlpReceiver.ReceivedSpan;
import io.opentelemetry.proto.trace.v1.Span.SpanKind;
import io.opentelemetry.proto.trace.v1.Status.StatusCode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.ConnectException;
import java.net.ServerSocket;
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

/**
 * Every instrumented HTTP client, one test body each: a request enters app "front" (com.sun.net.httpserver),
 * which calls app "back" with the client named by the parameter. Both run in their own JVM with the agent.
 * Proves one trace server(front) → client(front) → server(back), exactly one {@code traceparent} reaching back
 * whose parent is the client span, the client span's attributes, errors (5xx, connection refused) and the
 * {@code http.client.request.duration} histogram on front's Prometheus endpoint.
 */
class HttpClientTracingIT {
    static OtlpReceiver receiver;
    static ForkedJvm front;
    static ForkedJvm back;
    static int frontPort;
    static int backPort;
    static int frontMetricsPort;
    static final HttpClient TEST_CLIENT = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        receiver = new OtlpReceiver();
        frontMetricsPort = freePort();
        String args = "otlp.endpoint=" + receiver.endpoint() + ",bsp.schedule.delay.ms=100";
        front = ForkedJvm.builder("dev.vigil.testapps.JdkHttpServerApp")
                .libraries("httpclient5", "httpcore5", "httpcore5-h2", "slf4j-api")
                .withAgent(args + ",service.name=front,prometheus.host=127.0.0.1,prometheus.port=" + frontMetricsPort)
                .start();
        back = ForkedJvm.builder("dev.vigil.testapps.JdkHttpServerApp")
                .withAgent(args + ",service.name=back,prometheus.port=0").start();
        frontPort = front.awaitReadyPort();
        backPort = back.awaitReadyPort();
    }

    @AfterAll
    static void stop() throws Exception {
        ForkedJvm.closeAll(front, back, receiver);
    }

    /** Client names {@code dev.vigil.testapps.Clients} dispatches on. */
    static List<String> clients() {
        return List.of("jdk", "jdk-async", "urlconnection", "urlconnection-post", "apache-classic",
                "apache-classic-target", "apache-async");
    }

    @ParameterizedTest
    @MethodSource("clients")
    void clientSpanJoinsTheTraceAndCarriesItToTheServer(String client) throws Exception {
        String method = client.endsWith("-post") ? "POST" : "GET";
        double requestsBefore = clientRequests(method, "200");
        String target = "http://127.0.0.1:" + backPort + "/echo?token=s3cret&client=" + client;

        HttpResponse<String> response = callThroughFront(client, target);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).startsWith("200\n");
        String traceparent = onlyTraceparent(response.body());
        List<ReceivedSpan> trace = trace(traceparent.split("-")[1], 3);
        ReceivedSpan frontServer = only(trace, SpanKind.SPAN_KIND_SERVER, "front");
        ReceivedSpan frontClient = only(trace, SpanKind.SPAN_KIND_CLIENT, "front");
        ReceivedSpan backServer = only(trace, SpanKind.SPAN_KIND_SERVER, "back");

        assertThat(frontServer.parentSpanId()).isEmpty();
        assertThat(frontClient.parentSpanId()).isEqualTo(frontServer.spanId());
        assertThat(traceparent.split("-")[2]).as("parent id sent downstream").isEqualTo(frontClient.spanId());
        assertThat(backServer.parentSpanId()).isEqualTo(frontClient.spanId());

        assertThat(frontServer.name()).isEqualTo("GET /front");
        assertThat(frontServer.stringAttribute("http.route")).isEqualTo("/front");
        assertThat(frontServer.stringAttribute("url.path")).isEqualTo("/front");
        assertThat(frontServer.longAttribute("http.response.status_code")).isEqualTo(200L);
        assertThat(frontServer.resourceAttribute("telemetry.sdk.name")).isEqualTo("vigil");
        assertThat(backServer.name()).isEqualTo(method + " /echo");
        assertThat(frontClient.name()).isEqualTo(method);
        assertThat(frontClient.stringAttribute("http.request.method")).isEqualTo(method);
        assertThat(frontClient.stringAttribute("url.full"))
                .isEqualTo("http://127.0.0.1:" + backPort + "/echo?token=REDACTED&client=" + client);
        assertThat(frontClient.stringAttribute("server.address")).isEqualTo("127.0.0.1");
        assertThat(frontClient.longAttribute("server.port")).isEqualTo((long) backPort);
        assertThat(frontClient.longAttribute("http.response.status_code")).isEqualTo(200L);
        assertThat(frontClient.attribute("error.type")).isEmpty();
        assertThat(frontClient.span().getStatus().getCode()).isEqualTo(StatusCode.STATUS_CODE_UNSET);

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(clientRequests(method, "200")).as("http.client.request.duration count")
                        .isEqualTo(requestsBefore + 1));
        assertThat(scrape()).as("no advice error kept from the app").contains("vigil_agent_advice_errors_total 0.0");
    }

    @ParameterizedTest
    @MethodSource("clients")
    void aServerErrorFromDownstreamMarksTheClientSpanAsAnError(String client) throws Exception {
        String method = client.endsWith("-post") ? "POST" : "GET";
        double errorsBefore = clientRequests(method, "500");
        String target = "http://127.0.0.1:" + backPort + "/echo?status=500&client=" + client;

        HttpResponse<String> response = callThroughFront(client, target);

        assertThat(response.body()).as("front saw the downstream status").startsWith("500\n");
        String traceparent = onlyTraceparent(response.body());
        ReceivedSpan frontClient = only(trace(traceparent.split("-")[1], 3), SpanKind.SPAN_KIND_CLIENT, "front");
        assertThat(frontClient.spanId()).isEqualTo(traceparent.split("-")[2]);
        assertThat(frontClient.longAttribute("http.response.status_code")).isEqualTo(500L);
        assertThat(frontClient.stringAttribute("error.type")).isEqualTo("500");
        assertThat(frontClient.span().getStatus().getCode()).isEqualTo(StatusCode.STATUS_CODE_ERROR);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(clientRequests(method, "500")).isEqualTo(errorsBefore + 1));
    }

    @ParameterizedTest
    @MethodSource("clients")
    void aRefusedConnectionMarksTheClientSpanWithTheExceptionClass(String client) throws Exception {
        String target = "http://127.0.0.1:" + freePort() + "/refused?client=" + client;

        HttpResponse<String> response = callThroughFront(client, target);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(502);
        ReceivedSpan frontClient = await().atMost(Duration.ofSeconds(20)).until(() -> receiver.spans(
                s -> s.kind() == SpanKind.SPAN_KIND_CLIENT && target.equals(s.stringAttribute("url.full"))),
                spans -> !spans.isEmpty()).get(0);
        ReceivedSpan frontServer = only(trace(frontClient.traceId(), 2), SpanKind.SPAN_KIND_SERVER, "front");
        assertThat(frontClient.parentSpanId()).isEqualTo(frontServer.spanId());
        assertThat(frontClient.span().getStatus().getCode()).isEqualTo(StatusCode.STATUS_CODE_ERROR);
        assertThat(frontClient.attribute("http.response.status_code")).isEmpty();
        String errorType = frontClient.stringAttribute("error.type");
        assertThat(errorType).isNotNull();
        assertThat(ConnectException.class.isAssignableFrom(Class.forName(errorType)))
                .as(errorType + " is a ConnectException").isTrue();
        assertThat(receiver.spans(s -> target.equals(s.stringAttribute("url.full")))).as("one span per call").hasSize(1);
    }

    static HttpResponse<String> callThroughFront(String client, String target) throws Exception {
        String pathAndQuery = "/front?client=" + client + "&target=" + URLEncoder.encode(target, StandardCharsets.UTF_8);
        return TEST_CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + frontPort + pathAndQuery))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The one traceparent the back app echoed (it lists every value it received). */
    static String onlyTraceparent(String echoed) {
        List<String> values = echoed.lines().filter(l -> l.startsWith("traceparent: "))
                .map(l -> l.substring("traceparent: ".length())).toList();
        assertThat(values).as("traceparent headers received downstream in\n" + echoed).hasSize(1);
        return values.get(0);
    }

    /** Waits until at least {@code spans} spans of the trace have arrived. */
    static List<ReceivedSpan> trace(String traceId, int spans) {
        return await().atMost(Duration.ofSeconds(20))
                .until(() -> receiver.spans(s -> s.traceId().equals(traceId)), received -> received.size() >= spans);
    }

    static ReceivedSpan only(List<ReceivedSpan> spans, SpanKind kind, String service) {
        List<ReceivedSpan> matching = spans.stream()
                .filter(s -> s.kind() == kind && service.equals(s.resourceAttribute("service.name"))).toList();
        assertThat(matching).as(kind + " spans of " + service + " in " + spans).hasSize(1);
        return matching.get(0);
    }

    /** Front's http.client.request.duration count of calls to back's port with the given method and status. */
    static double clientRequests(String method, String status) throws Exception {
        return scrape().lines()
                .filter(l -> l.startsWith("http_client_request_duration_seconds_count{"))
                .filter(l -> l.contains("server_port=\"" + backPort + "\"")
                        && l.contains("http_response_status_code=\"" + status + "\"")
                        && l.contains("http_request_method=\"" + method + "\""))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .sum();
    }

    static String scrape() throws Exception {
        return TEST_CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + frontMetricsPort + "/metrics"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
