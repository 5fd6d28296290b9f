package dev.vigil.exporters.prometheus;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The agent's HTTP port: {@code /metrics} in Prometheus text 0.0.4, or OpenMetrics 1.0 (with exemplars) when
 * the scraper asks for it in {@code Accept}; plus JSON endpoints other parts of the agent register.
 *
 * <p>One agent thread serves requests; a scrape is rendered on demand from the registry.
 */
public final class PrometheusEndpoint implements AutoCloseable {
    private static final String OPENMETRICS = "application/openmetrics-text";
    private static final String TEXT_004 = "text/plain; version=0.0.4; charset=utf-8";
    private static final String OPENMETRICS_100 = "application/openmetrics-text; version=1.0.0; charset=utf-8";

    private final PrometheusMeterRegistry registry;
    private final HttpServer server;
    private final ExecutorService executor;

    private PrometheusEndpoint(PrometheusMeterRegistry registry, HttpServer server, ExecutorService executor) {
        this.registry = registry;
        this.server = server;
        this.executor = executor;
        server.createContext("/metrics", this::scrape);
        server.setExecutor(executor);
        server.start();
    }

    /**
     * Binds the endpoint, or returns null (after one line to {@code warn}) when {@code port} is 0 or cannot be
     * bound.
     */
    public static PrometheusEndpoint start(PrometheusMeterRegistry registry, String host, int port,
                                           ThreadFactory threads, Consumer<String> warn) {
        if (port == 0) {
            return null;
        }
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 16);
            return new PrometheusEndpoint(registry, server, Executors.newSingleThreadExecutor(threads));
        } catch (IOException | RuntimeException e) {
            warn.accept("Prometheus endpoint not started: cannot listen on " + host + ":" + port + " (" + e
                    + "); the application and tracing carry on. Set vigil.prometheus.port to a free port, or 0 to"
                    + " silence this.");
            return null;
        }
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /**
     * Serves {@code body()} as JSON at {@code path} (GET). The supplier runs on the endpoint's thread; if it
     * throws, the response is a 500 with a JSON error and the endpoint keeps serving.
     */
    public void addJsonEndpoint(String path, Supplier<String> body) {
        server.createContext(path, exchange -> {
            String json;
            try {
                json = body.get();
            } catch (RuntimeException e) {
                respond(exchange, 500, "application/json", "{\"error\":\"" + e.getClass().getSimpleName() + "\"}");
                return;
            }
            respond(exchange, 200, "application/json", json);
        });
    }

    private void scrape(HttpExchange exchange) throws IOException {
        String accept = exchange.getRequestHeaders().getFirst("Accept");
        boolean openMetrics = accept != null && accept.contains(OPENMETRICS);
        String contentType = openMetrics ? OPENMETRICS_100 : TEXT_004;
        respond(exchange, 200, contentType, registry.scrape(contentType));
    }

    private static void respond(HttpExchange exchange, int status, String contentType, String body)
            throws IOException {
        try (exchange) {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", contentType);
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
