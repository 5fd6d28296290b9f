package dev.vigil.agent.messaging;

import dev.vigil.agent.trace.propagation.TraceContextPropagator;
import dev.vigil.testing.CollectingSpanExporter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class MessagingTelemetryTest {
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    // the SDK hands out invalid no-op spans when no processor is registered
    final SdkTracerProvider provider = new CollectingSpanExporter().provider();
    final MessagingTelemetry telemetry = new MessagingTelemetry(provider.get("test"),
            TraceContextPropagator.getInstance(), registry);
    static final String VALID = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

    @Test
    void jmsPropertyNamesAreJavaIdentifiers() {
        assertThat(PropertyNames.jmsIdentifier("traceparent")).isEqualTo("traceparent");
        assertThat(PropertyNames.jmsIdentifier("x-b3-traceid")).isEqualTo("x_$dash$_b3_$dash$_traceid");
        assertThat(PropertyNames.jmsIdentifier("a.b")).isEqualTo("a_b");
        assertThat(PropertyNames.jmsIdentifier("1st")).isEqualTo("_st");
    }

    @Test
    void headerValuesAreReadAsStringsBytesOrToString() {
        assertThat(PropertyNames.text(VALID.getBytes(StandardCharsets.UTF_8))).isEqualTo(VALID);
        assertThat(PropertyNames.text(new StringBuilder("x"))).isEqualTo("x");
        assertThat(PropertyNames.text(null)).isNull();
    }

    @Test
    void aValidTraceparentIsTheParentAndAnInvalidOneIsCountedAndIgnored() {
        Context valid = telemetry.extract("kafka", VALID.getBytes(StandardCharsets.UTF_8), null, null);
        assertThat(Span.fromContext(valid).getSpanContext().getSpanId()).isEqualTo("b7ad6b7169203331");

        assertThat(telemetry.extract("kafka", "garbage", null, null)).isNull();
        assertThat(telemetry.extract("kafka", "00-00000000000000000000000000000000-b7ad6b7169203331-01", null, null)).isNull();
        assertThat(telemetry.extract("kafka", null, null, null)).isNull();
        assertThat(registry.get("vigil.messaging.context.invalid").tag("messaging.system", "kafka").counter().count())
                .isEqualTo(2.0);
    }

    @Test
    void sendInjectsTheProducerSpanAndHeadersAreCopiedNotChanged() {
        Object handle = telemetry.startSend("rabbitmq", "orders", false);
        assertThat(handle).isInstanceOf(MessagingTelemetry.Operation.class);
        assertThat(((MessagingTelemetry.Operation) handle).span.getSpanContext().isValid()).isTrue();
        assertThat(telemetry.injectFields(handle)).isNotNull();
        Map<String, Object> original = Map.of("app", "x");
        Map<String, Object> headers = telemetry.headersWith(handle, original);
        assertThat(original).containsOnlyKeys("app");
        assertThat(headers).containsKeys("app", "traceparent");
        assertThat(telemetry.headersWith(handle, null)).containsKey("traceparent");
        telemetry.endSend(handle, null, null);
        assertThat(registry.get("messaging.client.operation.duration").tag("messaging.operation.name", "publish")
                .timer().count()).isEqualTo(1);
    }

    @Test
    void processingIsCurrentWhileItRunsAndQueueTimeIsRecorded() {
        Object handle = telemetry.startProcess("jms", "orders", VALID, null, null, System.currentTimeMillis() - 1500, "ID:1");
        assertThat(Span.current().getSpanContext().getTraceId()).isEqualTo("0af7651916cd43dd8448eb211c80319c");
        telemetry.endProcess(handle, new IllegalStateException());
        assertThat(Span.current().getSpanContext().isValid()).isFalse();
        assertThat(registry.get("vigil.messaging.queue.time").tag("messaging.destination.name", "orders").timer()
                .totalTime(java.util.concurrent.TimeUnit.MILLISECONDS)).isGreaterThanOrEqualTo(1500);
        assertThat(registry.get("messaging.process.duration").tag("error.type", "java.lang.IllegalStateException")
                .timer().count()).isEqualTo(1);
    }
}
