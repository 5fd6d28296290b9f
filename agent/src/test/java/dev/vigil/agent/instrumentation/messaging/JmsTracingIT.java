package dev.vigil.agent.instrumentation.messaging;

import dev.vigil.testing.ForkedJvm;
import dev.vigil.testing.OtlpReceiver;
import dev.vigil.testing.OtlpReceiver.ReceivedSpan;
import dev.vigil.testing.Scrape;
import io.opentelemetry.proto.trace.v1.Span.SpanKind;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * JMS across two JVMs through an Artemis broker embedded in the test JVM (TCP acceptor on a free port): an HTTP
 * request in the producer app sends a message, a {@code MessageListener} in the consumer app processes it.
 */
class JmsTracingIT {
    /** Every jar the Artemis Jakarta client needs, by artifact id or group folder. */
    static final String[] ARTEMIS_CLIENT = {"activemq", "netty", "jakarta.jms-api", "slf4j-api", "jgroups",
            "commons-beanutils", "commons-logging", "commons-lang3", "commons-collections", "jctools-core",
            "jakarta.transaction-api"};

    static EmbeddedActiveMQ broker;
    static String brokerUrl;
    static OtlpReceiver receiver;
    static ForkedJvm producer;
    static ForkedJvm consumer;
    static int producerPort;
    static int consumerMetricsPort;

    @BeforeAll
    static void start() throws Exception {
        int brokerPort = Scrape.freePort();
        broker = new EmbeddedActiveMQ().setConfiguration(new ConfigurationImpl()
                .setPersistenceEnabled(false)
                .setSecurityEnabled(false)
                .setJournalDirectory("target/artemis-journal")
                .addAcceptorConfiguration("tcp", "tcp://127.0.0.1:" + brokerPort));
        broker.start();
        brokerUrl = "tcp://127.0.0.1:" + brokerPort;
        receiver = new OtlpReceiver();
        String args = "otlp.endpoint=" + receiver.endpoint() + ",bsp.schedule.delay.ms=100";
        consumerMetricsPort = Scrape.freePort();
        producer = ForkedJvm.builder("dev.vigil.testapps.messaging.JmsApp").libraries(ARTEMIS_CLIENT)
                .withAgent(args + ",prometheus.port=0,service.name=jms-producer")
                .args("producer", brokerUrl).start();
        consumer = ForkedJvm.builder("dev.vigil.testapps.messaging.JmsApp").libraries(ARTEMIS_CLIENT)
                // the consumer blocks in receive() from main on: a frame entered before instrumentation keeps its
                // old code, so the agent must be complete before main (startup.mode=sync)
                .withAgent(args + ",prometheus.port=" + consumerMetricsPort + ",service.name=jms-consumer,startup.mode=sync")
                .args("consumer", brokerUrl, "orders", "pulled").start();
        producerPort = producer.awaitReadyPort();
        consumer.awaitReadyPort();
    }

    @AfterAll
    static void stop() throws Exception {
        for (ForkedJvm app : new ForkedJvm[] {producer, consumer}) {
            if (app != null) {
                app.close();
            }
        }
        if (receiver != null) {
            receiver.close();
        }
        if (broker != null) {
            broker.stop();
        }
    }

    static void send(String queue, String body) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                        "http://127.0.0.1:" + producerPort + "/send?queue=" + queue + "&body=" + body))
                .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }

    /** The HTTP server span of the producer's request that sent {@code body}. */
    static ReceivedSpan awaitRequest(String body) {
        return await().atMost(Duration.ofSeconds(30)).until(() -> receiver.spans(s -> s.name().equals("GET /send")
                && String.valueOf(s.stringAttribute("url.query")).endsWith("body=" + body)), l -> !l.isEmpty()).get(0);
    }

    static ReceivedSpan awaitChild(String name, ReceivedSpan parent, String service) {
        return receiver.awaitChild(name, parent, service, Duration.ofSeconds(30));
    }

    @Test
    void oneTraceFromTheProducersRequestThroughSendToTheListenerInTheOtherJvm() throws Exception {
        send("orders", "order-1");
        consumer.awaitLine(l -> l.equals("PROCESSED orders order-1"), Duration.ofSeconds(30));

        ReceivedSpan server = awaitRequest("order-1");
        ReceivedSpan sendSpan = awaitChild("send orders", server, "jms-producer");
        ReceivedSpan process = awaitChild("process orders", sendSpan, "jms-consumer");

        assertThat(sendSpan.kind()).isEqualTo(SpanKind.SPAN_KIND_PRODUCER);
        assertThat(sendSpan.traceId()).isEqualTo(server.traceId());
        assertThat(sendSpan.parentSpanId()).isEqualTo(server.spanId());
        assertThat(sendSpan.stringAttribute("messaging.system")).isEqualTo("jms");
        assertThat(sendSpan.stringAttribute("messaging.destination.name")).isEqualTo("orders");
        assertThat(sendSpan.stringAttribute("messaging.operation.type")).isEqualTo("send");
        assertThat(sendSpan.stringAttribute("messaging.message.id")).startsWith("ID:");

        assertThat(process.kind()).isEqualTo(SpanKind.SPAN_KIND_CONSUMER);
        assertThat(process.traceId()).isEqualTo(server.traceId());
        assertThat(process.parentSpanId()).isEqualTo(sendSpan.spanId());
        assertThat(process.stringAttribute("messaging.operation.type")).isEqualTo("process");
        assertThat(process.stringAttribute("messaging.destination.name")).isEqualTo("orders");
        assertThat(process.stringAttribute("messaging.message.id"))
                .isEqualTo(sendSpan.stringAttribute("messaging.message.id"));
        // the lambda listener is traced through Artemis' wrapper, once
        assertThat(receiver.spans(s -> s.traceId().equals(server.traceId()) && s.name().startsWith("process")))
                .hasSize(1);

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            String metrics = Scrape.text(consumerMetricsPort);
            assertThat(metrics).contains("vigil_messaging_queue_time_seconds_count{messaging_destination_name=\"orders\",messaging_system=\"jms\"}");
            assertThat(metrics).contains("messaging_process_duration_seconds_count{error_type=\"\",messaging_destination_name=\"orders\"");
        });
    }

    @Test
    void aReceiveCallThatReturnsAMessageIsASpanInTheProducersTrace() throws Exception {
        send("pulled", "pull-1");
        consumer.awaitLine(l -> l.equals("RECEIVED pulled pull-1"), Duration.ofSeconds(30));
        ReceivedSpan sendSpan = awaitChild("send pulled", awaitRequest("pull-1"), "jms-producer");
        ReceivedSpan receive = awaitChild("receive pulled", sendSpan, "jms-consumer");
        assertThat(receive.traceId()).isEqualTo(sendSpan.traceId());
        assertThat(receive.parentSpanId()).isEqualTo(sendSpan.spanId());
        assertThat(receive.stringAttribute("messaging.operation.type")).isEqualTo("receive");
        // back-dated to the start of the receive call, which waited for the message
        assertThat(receive.span().getEndTimeUnixNano()).isGreaterThanOrEqualTo(receive.span().getStartTimeUnixNano());
    }

    @Test
    void theJmsSwitchTurnsTheInstrumentationOff() throws Exception {
        int metricsPort = Scrape.freePort();
        try (ForkedJvm quiet = ForkedJvm.builder("dev.vigil.testapps.messaging.JmsApp").libraries(ARTEMIS_CLIENT)
                .withAgent("otlp.endpoint=" + receiver.endpoint() + ",bsp.schedule.delay.ms=100,prometheus.port="
                        + metricsPort + ",service.name=jms-quiet,instrumentation.jms.enabled=false")
                .args("consumer", brokerUrl, "quiet", "quiet-pulled").start()) {
            quiet.awaitReadyPort();
            send("quiet", "q-1");
            quiet.awaitLine(l -> l.equals("PROCESSED quiet q-1"), Duration.ofSeconds(30));
            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).until(
                    () -> receiver.spans(s -> "jms-quiet".equals(s.resourceAttribute("service.name"))).isEmpty()
                            && !Scrape.text(metricsPort).contains("messaging_process_duration"));
        }
    }

    @Test
    void messagesFromAnUninstrumentedProducerAreProcessedEvenWithAForeignTraceparent() throws Exception {
        String[] bodies = {"plain-1", "foreign-1", "malformed-1"};
        String[] traceparents = {null, "uber-trace-id:abc:def:0:1", "00-0af7651916cd43dd8448eb211c80319c-00f067aa0ba902b7-zz"};
        for (int i = 0; i < bodies.length; i++) {
            ForkedJvm.Builder b = ForkedJvm.builder("dev.vigil.testapps.messaging.JmsApp").libraries(ARTEMIS_CLIENT);
            b = traceparents[i] == null ? b.args("send", brokerUrl, "orders", bodies[i])
                    : b.args("send", brokerUrl, "orders", bodies[i], traceparents[i]);
            try (ForkedJvm plain = b.start()) { // no agent
                plain.awaitLine(l -> l.startsWith("SENT "), Duration.ofSeconds(60));
            }
        }
        for (String body : bodies) {
            consumer.awaitLine(l -> l.equals("PROCESSED orders " + body), Duration.ofSeconds(30));
        }
        List<ReceivedSpan> processes = await().atMost(Duration.ofSeconds(30)).until(() -> receiver.spans(
                s -> s.name().equals("process orders") && s.parentSpanId().isEmpty()), l -> l.size() >= 3);
        assertThat(processes).extracting(ReceivedSpan::traceId).doesNotHaveDuplicates();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(Scrape.value(Scrape.text(consumerMetricsPort),
                "vigil_messaging_context_invalid_total{messaging_system=\"jms\"}")).isEqualTo(2.0));
    }
}
