package dev.vigil.sample;

import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.HexFormat;

/**
 * A stand-in for an OpenTelemetry Collector in the demo: accepts OTLP/HTTP and prints one line per span, so the
 * demo shows traces without any other tool. Point a real collector or Jaeger at the agents instead when you
 * have one.
 */
final class DemoCollector {
    private DemoCollector() {
    }

    static void start(int port) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 50);
        server.createContext("/v1/traces", exchange -> {
            try (exchange) {
                ExportTraceServiceRequest request = ExportTraceServiceRequest.parseFrom(exchange.getRequestBody());
                for (ResourceSpans rs : request.getResourceSpansList()) {
                    String service = rs.getResource().getAttributesList().stream()
                            .filter(kv -> kv.getKey().equals("service.name")).map(kv -> kv.getValue().getStringValue())
                            .findFirst().orElse("?");
                    for (ScopeSpans ss : rs.getScopeSpansList()) {
                        for (Span s : ss.getSpansList()) {
                            System.out.printf("trace %s  %-8s %-7s %-28s %6.1f ms%s%n",
                                    HexFormat.of().formatHex(s.getTraceId().toByteArray()).substring(0, 12), service,
                                    s.getKind().name().replace("SPAN_KIND_", "").toLowerCase(), s.getName(),
                                    (s.getEndTimeUnixNano() - s.getStartTimeUnixNano()) / 1e6, status(s));
                        }
                    }
                }
                exchange.sendResponseHeaders(200, -1);
            }
        });
        server.createContext("/v1/metrics", exchange -> {
            try (exchange) {
                exchange.getRequestBody().readAllBytes();
                exchange.sendResponseHeaders(200, -1);
            }
        });
        server.start();
        System.out.println("demo collector: OTLP/HTTP on http://127.0.0.1:" + port + ", printing spans");
    }

    private static String status(Span s) {
        for (KeyValue kv : s.getAttributesList()) {
            if (kv.getKey().equals("http.response.status_code")) {
                return "  status " + kv.getValue().getIntValue();
            }
        }
        return "";
    }
}
