package dev.vigil.sample;

import dev.vigil.testing.ForkedJvm;
import dev.vigil.testing.OtlpReceiver;
import dev.vigil.testing.OtlpReceiver.ReceivedSpan;
import dev.vigil.testing.Scrape;
import io.opentelemetry.proto.trace.v1.Span.SpanKind;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The three shop services in their own JVMs with the agent attached as a user attaches it, on the database and
 * queue a subclass chooses; one order must be one trace across gateway, orders, the queue and the worker.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ShopTraceContract {
    static final HttpClient CLIENT = HttpClient.newHttpClient();
    OtlpReceiver receiver;
    ForkedJvm orders;
    ForkedJvm worker;
    ForkedJvm gateway;
    int gatewayPort;
    int ordersPort;
    int gatewayMetrics;
    int ordersMetrics;

    /**
     * Options given to both orders and worker that choose the database and the queue (e.g. {@code jdbc=…},
     * {@code broker=…}); {@code h2Port} and {@code brokerPort} are free ports for the embedded defaults.
     */
    abstract String infrastructure(int h2Port, int brokerPort) throws Exception;

    /** Extra agent arguments for every service, starting with a comma; none by default. */
    String agentOptions() {
        return "";
    }

    /** {@code db.system.name} of the database {@link #infrastructure} chose. */
    abstract String databaseSystem();

    /** {@code messaging.system} of the queue {@link #infrastructure} chose. */
    abstract String messagingSystem();

    @BeforeAll
    void start() throws Exception {
        receiver = new OtlpReceiver();
        gatewayPort = Scrape.freePort();
        ordersPort = Scrape.freePort();
        int workerPort = Scrape.freePort();
        int h2Port = Scrape.freePort();
        int brokerPort = Scrape.freePort();
        gatewayMetrics = Scrape.freePort();
        ordersMetrics = Scrape.freePort();
        String infra = infrastructure(h2Port, brokerPort);
        orders = service("orders", ordersMetrics, "port=" + ordersPort + "," + infra);
        orders.awaitLine(l -> l.startsWith("READY"), Duration.ofSeconds(60));
        orders.awaitAgentStarted();
        worker = service("worker", 0, "port=" + workerPort + "," + infra + ",gateway=http://127.0.0.1:" + gatewayPort);
        gateway = service("gateway", gatewayMetrics, "port=" + gatewayPort + ",orders=http://127.0.0.1:" + ordersPort);
        for (ForkedJvm service : List.of(worker, gateway)) {
            service.awaitLine(l -> l.startsWith("READY"), Duration.ofSeconds(60));
            service.awaitAgentStarted();
        }
    }

    private ForkedJvm service(String role, int metricsPort, String options) throws Exception {
        return ForkedJvm.builder("dev.vigil.sample.ShopApp")
                .classpath(List.of(System.getProperty("sample.app.jar")))
                .withAgent("service.name=" + role + ",otlp.endpoint=" + receiver.endpoint()
                        + ",bsp.schedule.delay.ms=100,prometheus.host=127.0.0.1,prometheus.port=" + metricsPort + agentOptions())
                .args(role, options)
                .start();
    }

    @AfterAll
    void stop() throws Exception {
        ForkedJvm.closeAll(gateway, worker, orders, receiver);
        stopInfrastructure();
    }

    /** Stops what {@link #infrastructure} started, after the services. */
    void stopInfrastructure() throws Exception {
    }

    static HttpResponse<String> get(int port, String path) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void oneOrderIsOneTraceAcrossAllThreeServicesAndTheQueue() throws Exception {
        HttpResponse<String> checkout = get(gatewayPort, "/checkout");
        assertThat(checkout.statusCode()).as(checkout.body()).isEqualTo(200);
        ReceivedSpan entry = await().atMost(Duration.ofSeconds(20)).until(() -> receiver.spans(
                s -> s.kind() == SpanKind.SPAN_KIND_SERVER && "/checkout".equals(s.stringAttribute("url.path"))
                        && s.parentSpanId().isEmpty()), l -> !l.isEmpty()).get(0);
        String traceId = entry.traceId();
        // gateway → orders (HTTP, JDBC insert, publish) → worker (process, JDBC update, HTTP) → gateway /notify
        List<ReceivedSpan> trace = await().atMost(Duration.ofSeconds(30)).until(
                () -> receiver.spans(s -> s.traceId().equals(traceId)),
                // nine spans; each service exports on its own schedule, so wait for all of them
                spans -> spans.size() >= 9);

        ReceivedSpan gatewayClient = one(trace, "gateway", SpanKind.SPAN_KIND_CLIENT, s -> true);
        ReceivedSpan ordersServer = one(trace, "orders", SpanKind.SPAN_KIND_SERVER, s -> "/orders".equals(s.stringAttribute("url.path")));
        ReceivedSpan insert = one(trace, "orders", SpanKind.SPAN_KIND_CLIENT, s -> "INSERT".equals(s.stringAttribute("db.operation.name")));
        ReceivedSpan publish = one(trace, "orders", SpanKind.SPAN_KIND_PRODUCER, s -> true);
        ReceivedSpan process = one(trace, "worker", SpanKind.SPAN_KIND_CONSUMER, s -> "process".equals(s.stringAttribute("messaging.operation.type")));
        ReceivedSpan update = one(trace, "worker", SpanKind.SPAN_KIND_CLIENT, s -> "UPDATE".equals(s.stringAttribute("db.operation.name")));
        ReceivedSpan callback = one(trace, "worker", SpanKind.SPAN_KIND_CLIENT, s -> s.stringAttribute("url.full") != null);
        ReceivedSpan notify = one(trace, "gateway", SpanKind.SPAN_KIND_SERVER, s -> "/notify".equals(s.stringAttribute("url.path")));

        assertThat(gatewayClient.parentSpanId()).isEqualTo(entry.spanId());
        assertThat(ordersServer.parentSpanId()).isEqualTo(gatewayClient.spanId());
        assertThat(insert.parentSpanId()).isEqualTo(ordersServer.spanId());
        assertThat(insert.stringAttribute("db.system.name")).isEqualTo(databaseSystem());
        assertThat(publish.parentSpanId()).isEqualTo(ordersServer.spanId());
        assertThat(publish.stringAttribute("messaging.destination.name")).isEqualTo("orders");
        assertThat(publish.stringAttribute("messaging.system")).isEqualTo(messagingSystem());
        assertThat(process.parentSpanId()).isEqualTo(publish.spanId());
        assertThat(update.parentSpanId()).isEqualTo(process.spanId());
        assertThat(callback.parentSpanId()).isEqualTo(process.spanId());
        assertThat(notify.parentSpanId()).isEqualTo(callback.spanId());
    }

    static ReceivedSpan one(List<ReceivedSpan> trace, String service, SpanKind kind, Predicate<ReceivedSpan> filter) {
        List<ReceivedSpan> matching = trace.stream().filter(s -> s.kind() == kind
                && service.equals(s.resourceAttribute("service.name")) && filter.test(s)).toList();
        assertThat(matching).as(service + " " + kind + " in " + trace).hasSize(1);
        return matching.get(0);
    }
}
