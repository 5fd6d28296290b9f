package dev.vigil.testing;

import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.zip.GZIPInputStream;

/**
 * A fake OTLP/HTTP collector for tests: decodes every {@code /v1/traces} request with the official
 * {@code opentelemetry-proto} classes and keeps the spans, each with its resource.
 */
public final class OtlpReceiver implements AutoCloseable {
    /** A received span with the resource it was exported under. */
    public record ReceivedSpan(Span span, Resource resource) {
        public String traceId() {
            return HexFormat.of().formatHex(span.getTraceId().toByteArray());
        }

        public String spanId() {
            return HexFormat.of().formatHex(span.getSpanId().toByteArray());
        }

        public String parentSpanId() {
            return HexFormat.of().formatHex(span.getParentSpanId().toByteArray());
        }

        public String name() {
            return span.getName();
        }

        public Span.SpanKind kind() {
            return span.getKind();
        }

        public Optional<AnyValue> attribute(String key) {
            return find(span.getAttributesList(), key);
        }

        public String stringAttribute(String key) {
            return attribute(key).map(AnyValue::getStringValue).orElse(null);
        }

        public Long longAttribute(String key) {
            return attribute(key).map(AnyValue::getIntValue).orElse(null);
        }

        public String resourceAttribute(String key) {
            return find(resource.getAttributesList(), key).map(AnyValue::getStringValue).orElse(null);
        }

        public int flags() {
            return span.getFlags();
        }

        @Override
        public String toString() {
            return kind() + " '" + name() + "' trace=" + traceId() + " span=" + spanId() + " parent=" + parentSpanId();
        }
    }

    /** A received metric with the resource it was exported under. */
    public record ReceivedMetric(Metric metric, Resource resource) {
        public String name() {
            return metric.getName();
        }

        public String resourceAttribute(String key) {
            return find(resource.getAttributesList(), key).map(AnyValue::getStringValue).orElse(null);
        }
    }

    private final List<ReceivedMetric> metrics = new CopyOnWriteArrayList<>();
    private final HttpServer server;
    private final List<ReceivedSpan> spans = new CopyOnWriteArrayList<>();
    private final AtomicInteger requests = new AtomicInteger();
    private volatile int status = 200;

    public OtlpReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
        server.createContext("/v1/traces", exchange -> {
            try (exchange) {
                requests.incrementAndGet();
                InputStream body = exchange.getRequestBody();
                if ("gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
                    body = new GZIPInputStream(body);
                }
                ExportTraceServiceRequest request = ExportTraceServiceRequest.parseFrom(body);
                for (ResourceSpans rs : request.getResourceSpansList()) {
                    for (ScopeSpans ss : rs.getScopeSpansList()) {
                        for (Span s : ss.getSpansList()) {
                            spans.add(new ReceivedSpan(s, rs.getResource()));
                        }
                    }
                }
                exchange.sendResponseHeaders(status, -1);
            }
        });
        server.createContext("/v1/metrics", exchange -> {
            try (exchange) {
                ExportMetricsServiceRequest request = ExportMetricsServiceRequest.parseFrom(exchange.getRequestBody());
                for (ResourceMetrics rm : request.getResourceMetricsList()) {
                    for (ScopeMetrics sm : rm.getScopeMetricsList()) {
                        for (Metric m : sm.getMetricsList()) {
                            metrics.add(new ReceivedMetric(m, rm.getResource()));
                        }
                    }
                }
                exchange.sendResponseHeaders(200, -1);
            }
        });
        server.start();
    }

    public String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public List<ReceivedSpan> spans() {
        return new ArrayList<>(spans);
    }

    public List<ReceivedSpan> spans(Predicate<ReceivedSpan> filter) {
        return spans.stream().filter(filter).toList();
    }

    public List<ReceivedMetric> metrics(String name) {
        return metrics.stream().filter(m -> m.name().equals(name)).toList();
    }

    /** Waits for the span named {@code name} of {@code service} whose parent is {@code parent}. */
    public ReceivedSpan awaitChild(String name, ReceivedSpan parent, String service, java.time.Duration timeout) {
        return org.awaitility.Awaitility.await().atMost(timeout).until(() -> spans(s -> s.name().equals(name)
                        && s.parentSpanId().equals(parent.spanId()) && service.equals(s.resourceAttribute("service.name"))),
                l -> !l.isEmpty()).get(0);
    }

    public int requests() {
        return requests.get();
    }

    public void clear() {
        spans.clear();
    }

    static Optional<AnyValue> find(List<KeyValue> attributes, String key) {
        return attributes.stream().filter(kv -> kv.getKey().equals(key)).map(KeyValue::getValue).findFirst();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
