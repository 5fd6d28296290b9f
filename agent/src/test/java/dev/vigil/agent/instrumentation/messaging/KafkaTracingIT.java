package dev.vigil.agent.instrumentation.messaging;

import dev.vigil.testing.EmbeddedKafka;
import dev.vigil.testing.ForkedJvm;
import dev.vigil.testing.OtlpReceiver;
import dev.vigil.testing.OtlpReceiver.ReceivedSpan;
import dev.vigil.testing.Scrape;
import io.opentelemetry.proto.trace.v1.Span.SpanKind;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Kafka across two JVMs through a single-node KRaft broker (combined broker and controller, Kafka 4's own
 * {@code KafkaRaftServer}) run inside the test JVM; the forked apps use kafka-clients with the agent.
 */
class KafkaTracingIT {
    static final String TOPIC = "orders";
    static EmbeddedKafka broker;
    static String servers;
    static OtlpReceiver receiver;
    static ForkedJvm producer;
    static ForkedJvm consumer;
    static int producerPort;
    static int consumerMetricsPort;

    @BeforeAll
    static void start() throws Exception {
        broker = EmbeddedKafka.start();
        servers = broker.bootstrapServers();

        receiver = new OtlpReceiver();
        String args = "otlp.endpoint=" + receiver.endpoint() + ",bsp.schedule.delay.ms=100";
        consumerMetricsPort = Scrape.freePort();
        producer = ForkedJvm.builder("dev.vigil.testapps.messaging.KafkaApp").libraries("kafka-clients", "slf4j-api")
                .withAgent(args + ",prometheus.port=0,service.name=kafka-producer")
                .args("producer", servers).start();
        consumer = ForkedJvm.builder("dev.vigil.testapps.messaging.KafkaApp").libraries("kafka-clients", "slf4j-api")
                .withAgent(args + ",prometheus.port=" + consumerMetricsPort + ",service.name=kafka-consumer")
                .args("consumer", servers, TOPIC).start();
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
            broker.close();
        }
    }

    static void send(String body) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                        "http://127.0.0.1:" + producerPort + "/send?topic=" + TOPIC + "&body=" + body))
                .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }

    static ReceivedSpan awaitRequest(String body) {
        return await().atMost(Duration.ofSeconds(30)).until(() -> receiver.spans(s -> s.name().equals("GET /send")
                && String.valueOf(s.stringAttribute("url.query")).endsWith("body=" + body)), l -> !l.isEmpty()).get(0);
    }

    static ReceivedSpan awaitChild(String name, ReceivedSpan parent, String service) {
        return receiver.awaitChild(name, parent, service, Duration.ofSeconds(60));
    }

    @Test
    void oneTraceFromTheProducersRequestThroughSendToEachRecordsProcessingInTheOtherJvm() throws Exception {
        send("k-1");
        consumer.awaitLine(l -> l.equals("PROCESSED " + TOPIC + " k-1"), Duration.ofSeconds(60));
        ReceivedSpan server = awaitRequest("k-1");
        ReceivedSpan send = awaitChild("send " + TOPIC, server, "kafka-producer");
        ReceivedSpan process = awaitChild("process " + TOPIC, send, "kafka-consumer");

        assertThat(send.kind()).isEqualTo(SpanKind.SPAN_KIND_PRODUCER);
        assertThat(send.stringAttribute("messaging.system")).isEqualTo("kafka");
        assertThat(send.stringAttribute("messaging.destination.name")).isEqualTo(TOPIC);
        assertThat(process.kind()).isEqualTo(SpanKind.SPAN_KIND_CONSUMER);
        assertThat(process.traceId()).isEqualTo(server.traceId());
        assertThat(process.stringAttribute("messaging.destination.partition.id")).isEqualTo("0");
        assertThat(process.longAttribute("messaging.kafka.offset")).isNotNull();

        // the poll that returned the record links to the producer's span
        ReceivedSpan poll = await().atMost(Duration.ofSeconds(30)).until(() -> receiver.spans(
                s -> s.name().equals("poll " + TOPIC) && s.span().getLinksList().stream().anyMatch(link ->
                        HexFormat.of().formatHex(link.getSpanId().toByteArray()).equals(send.spanId()))),
                l -> !l.isEmpty()).get(0);
        assertThat(poll.stringAttribute("messaging.operation.type")).isEqualTo("receive");
        assertThat(poll.longAttribute("messaging.batch.message_count")).isPositive();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(Scrape.text(consumerMetricsPort))
                .contains("vigil_messaging_queue_time_seconds_count{messaging_destination_name=\"" + TOPIC
                        + "\",messaging_system=\"kafka\"}"));
    }

    @Test
    void recordsFromAnUninstrumentedProducerAreProcessedEvenWithAMalformedTraceparent() throws Exception {
        String[] bodies = {"plain-k", "malformed-k"};
        String[] traceparents = {null, "00-0af7651916cd43dd8448eb211c80319c-0000000000000000-01"};
        for (int i = 0; i < bodies.length; i++) {
            ForkedJvm.Builder b = ForkedJvm.builder("dev.vigil.testapps.messaging.KafkaApp")
                    .libraries("kafka-clients", "slf4j-api");
            b = traceparents[i] == null ? b.args("send", servers, TOPIC, bodies[i])
                    : b.args("send", servers, TOPIC, bodies[i], traceparents[i]);
            try (ForkedJvm plain = b.start()) { // no agent
                plain.awaitLine(l -> l.startsWith("SENT "), Duration.ofSeconds(60));
            }
        }
        for (String body : bodies) {
            consumer.awaitLine(l -> l.equals("PROCESSED " + TOPIC + " " + body), Duration.ofSeconds(60));
        }
        List<ReceivedSpan> roots = await().atMost(Duration.ofSeconds(30)).until(() -> receiver.spans(
                s -> s.name().equals("process " + TOPIC) && s.parentSpanId().isEmpty()), l -> l.size() >= 2);
        assertThat(roots).extracting(ReceivedSpan::traceId).doesNotHaveDuplicates();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(Scrape.value(Scrape.text(consumerMetricsPort),
                "vigil_messaging_context_invalid_total{messaging_system=\"kafka\"}")).isEqualTo(1.0));
    }
}
