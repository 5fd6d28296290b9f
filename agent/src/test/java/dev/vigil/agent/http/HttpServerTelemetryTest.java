package dev.vigil.agent.http;

import dev.vigil.agent.runtime.looplag.RequestWatch;
import dev.vigil.agent.trace.propagation.TraceContextPropagator;
import dev.vigil.testing.CollectingSpanExporter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.trace.data.SpanData;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class HttpServerTelemetryTest {
    static final String TRACE_ID = "0af7651916cd43dd8448eb211c80319c";
    static final String VALID = "00-" + TRACE_ID + "-b7ad6b7169203331-01";

    final CollectingSpanExporter exporter = new CollectingSpanExporter();
    final List<SpanData> spans = exporter.spans;
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final HttpServerTelemetry telemetry = new HttpServerTelemetry(exporter.provider().get("test"),
            TraceContextPropagator.getInstance(), registry, new RequestWatch(false));

    SpanData serve(InetAddress client, Map<String, List<String>> headers, int status) {
        Object handle = telemetry.start("GET", "http", 8080, "/orders", null, client, headers);
        telemetry.end(handle, status, "/orders", null);
        return spans.get(spans.size() - 1);
    }

    @Test
    void headersAreFoundWhateverTheCaseOfTheirNames() throws Exception {
        // com.sun.net.httpserver normalizes names to "Traceparent", "User-agent"; other maps keep what was sent
        SpanData span = serve(InetAddress.getByName("10.1.2.3"), Map.of("Host", List.of("shop:8080"),
                "User-agent", List.of("curl/8.5"), "Traceparent", List.of(VALID),
                "TRACESTATE", List.of("a=1", "b=2"), "x-other", List.of("x")), 200);
        assertThat(span.getTraceId()).isEqualTo(TRACE_ID);
        assertThat(span.getParentSpanId()).isEqualTo("b7ad6b7169203331");
        assertThat(span.getSpanContext().getTraceState().asMap()).containsOnlyKeys("a", "b");
        assertThat(span.getAttributes().get(AttributeKey.stringKey("server.address"))).isEqualTo("shop");
        assertThat(span.getAttributes().get(AttributeKey.stringKey("user_agent.original"))).isEqualTo("curl/8.5");
        assertThat(span.getAttributes().get(AttributeKey.stringKey("client.address"))).isEqualTo("10.1.2.3");
    }

    @Test
    void theServerAddressIsTheHostHeaderWithoutItsPort() {
        assertThat(telemetry.hostOf("shop:8080")).isEqualTo("shop");
        assertThat(telemetry.hostOf("shop")).isEqualTo("shop");
        assertThat(telemetry.hostOf("[::1]:8080")).isEqualTo("::1");
        assertThat(telemetry.hostOf("[::1]")).isEqualTo("::1");
        assertThat(telemetry.hostOf("shop:8080")).as("again, from the kept one").isEqualTo("shop");
        assertThat(telemetry.hostOf(":8080")).isNull();
        assertThat(telemetry.hostOf("[]")).isNull();
        assertThat(telemetry.hostOf("")).isNull();
        assertThat(telemetry.hostOf(null)).isNull();
    }

    @Test
    void aRepeatedTraceparentStartsANewTraceAndNoHeadersAreFine() throws Exception {
        SpanData repeated = serve(InetAddress.getByName("10.1.2.3"), Map.of("traceparent", List.of(VALID, VALID)), 200);
        assertThat(repeated.getTraceId()).isNotEqualTo(TRACE_ID);
        assertThat(repeated.getParentSpanContext().isValid()).isFalse();
        SpanData bare = serve(null, null, 200);
        assertThat(bare.getSpanContext().isValid()).isTrue();
        assertThat(bare.getAttributes().get(AttributeKey.stringKey("client.address"))).isNull();
        assertThat(bare.getAttributes().get(AttributeKey.stringKey("server.address"))).isNull();
    }

    @Test
    void eachClientGetsItsOwnAddressAndEachStatusItsOwnTimer() throws Exception {
        InetAddress first = InetAddress.getByName("10.0.0.1");
        InetAddress second = InetAddress.getByName("10.0.0.2");
        List<String> seen = new java.util.ArrayList<>();
        for (InetAddress client : List.of(first, first, second, first)) {
            seen.add(serve(client, Map.of(), 200).getAttributes().get(AttributeKey.stringKey("client.address")));
        }
        serve(second, Map.of(), 503);
        assertThat(seen).containsExactly("10.0.0.1", "10.0.0.1", "10.0.0.2", "10.0.0.1");
        assertThat(registry.get("http.server.request.duration").tag("http.response.status_code", "200").timer()
                .count()).isEqualTo(4);
        assertThat(registry.get("http.server.request.duration").tag("http.response.status_code", "503").timer()
                .count()).isEqualTo(1);
    }
}
