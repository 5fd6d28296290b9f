package dev.vigil.agent.instrumentation.messaging;

import dev.vigil.testing.ForkedJvm;
import dev.vigil.testing.OtlpReceiver;
import dev.vigil.testing.OtlpReceiver.ReceivedSpan;
import dev.vigil.testing.Scrape;
import io.opentelemetry.proto.trace.v1.Span.SpanKind;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * RabbitMQ across two JVMs through the RabbitMQ service on 127.0.0.1:5672 (guest/guest). Runs only under
 * {@code -Pservices}, and then fails, never skips, when the broker is unreachable.
 */
class RabbitMqTracingIT {
    static final String URI_ = "amqp://guest:guest@127.0.0.1:5672/%2F";
    static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    static final String CONSUMED = "vigil-it-consumed-" + RUN;
    static final String POLLED = "vigil-it-polled-" + RUN;

    static OtlpReceiver receiver;
    static ForkedJvm producer;
    static ForkedJvm consumer;
    static int producerPort;
    static int consumerMetricsPort;

    @BeforeAll
    static void start() throws Exception {
        try (Socket probe = new Socket()) {
            probe.connect(new InetSocketAddress("127.0.0.1", 5672), 3000);
        } catch (IOException e) {
            throw new AssertionError("RabbitMQ is not reachable on 127.0.0.1:5672 (" + e + "): start the service "
                    + "(e.g. 'rabbitmq-server -detached' or 'service rabbitmq-server start') before 'mvn verify -Pservices'", e);
        }
        receiver = new OtlpReceiver();
        String args = "otlp.endpoint=" + receiver.endpoint() + ",bsp.schedule.delay.ms=100";
        consumerMetricsPort = Scrape.freePort();
        producer = ForkedJvm.builder("dev.vigil.testapps.messaging.RabbitMqApp").libraries("amqp-client", "slf4j-api")
                .withAgent(args + ",prometheus.port=0,service.name=rabbit-producer")
                .args("producer", URI_).start();
        consumer = ForkedJvm.builder("dev.vigil.testapps.messaging.RabbitMqApp").libraries("amqp-client", "slf4j-api")
                .withAgent(args + ",prometheus.port=" + consumerMetricsPort + ",service.name=rabbit-consumer")
                .args("consumer", URI_, CONSUMED, POLLED).start();
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
    }

    static void send(String queue, String body, boolean withProperties) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                        "http://127.0.0.1:" + producerPort + "/send?queue=" + queue + "&body=" + body
                                + (withProperties ? "&timestamp=1" : ""))).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }

    static ReceivedSpan awaitRequest(String body) {
        return await().atMost(Duration.ofSeconds(30)).until(() -> receiver.spans(s -> s.name().equals("GET /send")
                && String.valueOf(s.stringAttribute("url.query")).contains("body=" + body)), l -> !l.isEmpty()).get(0);
    }

    static ReceivedSpan awaitChild(String name, ReceivedSpan parent, String service) {
        return receiver.awaitChild(name, parent, service, Duration.ofSeconds(30));
    }

    @Test
    void publishWithoutPropertiesIsOneTraceIntoTheConsumerOfTheOtherJvm() throws Exception {
        send(CONSUMED, "a-1", false);
        consumer.awaitLine(l -> l.equals("PROCESSED " + CONSUMED + " a-1 null"), Duration.ofSeconds(30));
        ReceivedSpan server = awaitRequest("a-1");
        ReceivedSpan publish = awaitChild("publish " + CONSUMED, server, "rabbit-producer");
        ReceivedSpan process = awaitChild("process " + CONSUMED, publish, "rabbit-consumer");

        assertThat(publish.kind()).isEqualTo(SpanKind.SPAN_KIND_PRODUCER);
        assertThat(publish.stringAttribute("messaging.system")).isEqualTo("rabbitmq");
        assertThat(publish.stringAttribute("messaging.destination.name")).isEqualTo(CONSUMED);
        assertThat(publish.stringAttribute("messaging.operation.name")).isEqualTo("publish");
        assertThat(publish.stringAttribute("messaging.rabbitmq.destination.routing_key")).isEqualTo(CONSUMED);
        assertThat(process.kind()).isEqualTo(SpanKind.SPAN_KIND_CONSUMER);
        assertThat(process.traceId()).isEqualTo(server.traceId());
        assertThat(process.stringAttribute("messaging.operation.type")).isEqualTo("process");
    }

    @Test
    void publishKeepsTheApplicationsPropertiesAndHeadersAndFeedsQueueTime() throws Exception {
        send(CONSUMED, "b-1", true);
        consumer.awaitLine(l -> l.equals("PROCESSED " + CONSUMED + " b-1 kept"), Duration.ofSeconds(30));
        ReceivedSpan publish = awaitChild("publish " + CONSUMED, awaitRequest("b-1"), "rabbit-producer");
        assertThat(publish.stringAttribute("messaging.message.id")).isEqualTo("m-b-1");
        ReceivedSpan process = awaitChild("process " + CONSUMED, publish, "rabbit-consumer");
        assertThat(process.stringAttribute("messaging.message.id")).isEqualTo("m-b-1");
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(Scrape.text(consumerMetricsPort))
                .contains("vigil_messaging_queue_time_seconds_count{messaging_destination_name=\"" + CONSUMED
                        + "\",messaging_system=\"rabbitmq\"} 1"));
    }

    @Test
    void basicGetIsAReceiveSpanInTheProducersTrace() throws Exception {
        send(POLLED, "c-1", false);
        consumer.awaitLine(l -> l.equals("RECEIVED " + POLLED + " c-1"), Duration.ofSeconds(30));
        ReceivedSpan publish = awaitChild("publish " + POLLED, awaitRequest("c-1"), "rabbit-producer");
        ReceivedSpan receive = awaitChild("receive " + POLLED + ":" + POLLED, publish, "rabbit-consumer");
        assertThat(receive.stringAttribute("messaging.operation.type")).isEqualTo("receive");
    }

    @Test
    void messagesFromAnUninstrumentedProducerAreProcessedEvenWithAForeignTraceparent() throws Exception {
        String[] bodies = {"plain-1", "foreign-1"};
        String[] traceparents = {null, "not-a-traceparent"};
        for (int i = 0; i < bodies.length; i++) {
            ForkedJvm.Builder b = ForkedJvm.builder("dev.vigil.testapps.messaging.RabbitMqApp")
                    .libraries("amqp-client", "slf4j-api");
            b = traceparents[i] == null ? b.args("send", URI_, CONSUMED, bodies[i])
                    : b.args("send", URI_, CONSUMED, bodies[i], traceparents[i]);
            try (ForkedJvm plain = b.start()) { // no agent
                plain.awaitLine(l -> l.startsWith("SENT "), Duration.ofSeconds(60));
            }
        }
        for (String body : bodies) {
            consumer.awaitLine(l -> l.equals("PROCESSED " + CONSUMED + " " + body + " null"), Duration.ofSeconds(30));
        }
        List<ReceivedSpan> roots = await().atMost(Duration.ofSeconds(30)).until(() -> receiver.spans(
                s -> s.name().equals("process " + CONSUMED) && s.parentSpanId().isEmpty()), l -> l.size() >= 2);
        assertThat(roots).extracting(ReceivedSpan::traceId).doesNotHaveDuplicates();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(Scrape.value(Scrape.text(consumerMetricsPort),
                "vigil_messaging_context_invalid_total{messaging_system=\"rabbitmq\"}")).isEqualTo(1.0));
    }
}
