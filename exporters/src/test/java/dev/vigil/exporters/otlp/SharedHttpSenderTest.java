package dev.vigil.exporters.otlp;

import com.sun.net.httpserver.HttpServer;
import dev.vigil.exporters.AgentScheduler;
import io.opentelemetry.sdk.common.export.Compressor;
import io.opentelemetry.sdk.common.export.HttpResponse;
import io.opentelemetry.sdk.common.export.HttpSenderConfig;
import io.opentelemetry.sdk.common.export.MessageWriter;
import io.opentelemetry.sdk.common.export.ProxyOptions;
import io.opentelemetry.sdk.common.export.RetryPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import javax.net.ssl.SSLContext;
import javax.net.ssl.X509TrustManager;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shared sender against a real HTTP server, over each transport: retries, deadline, compression, headers,
 * completion thread.
 */
class SharedHttpSenderTest {
    enum Transport {
        POLLED {
            @Override
            HttpTransport create(AgentScheduler scheduler) {
                return new NioHttpTransport(scheduler);
            }
        },
        JDK {
            @Override
            HttpTransport create(AgentScheduler scheduler) {
                return new JdkTransport(scheduler, Duration.ofSeconds(2), null, null);
            }
        };

        abstract HttpTransport create(AgentScheduler scheduler);
    }

    private static final RetryPolicy FAST_RETRY = RetryPolicy.builder().setMaxAttempts(5)
            .setInitialBackoff(Duration.ofMillis(10)).setMaxBackoff(Duration.ofMillis(50)).build();
    private final AgentScheduler scheduler = new AgentScheduler(r -> new Thread(r, "test-agent-1"));
    private final Queue<Integer> statuses = new ConcurrentLinkedQueue<>();
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger attempts = new AtomicInteger();
    private final Queue<String> received = new ConcurrentLinkedQueue<>();
    private HttpServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
        scheduler.shutdownNow();
    }

    private URI serve() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v1/traces", exchange -> {
            requests.incrementAndGet();
            byte[] body = exchange.getRequestBody().readAllBytes();
            if ("gzip".equals(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
                body = new GZIPInputStream(new java.io.ByteArrayInputStream(body)).readAllBytes();
            }
            received.add(exchange.getRequestHeaders().getFirst("X-Key") + ":" + new String(body, StandardCharsets.UTF_8));
            Integer status = statuses.poll();
            exchange.sendResponseHeaders(status == null ? 200 : status, -1);
            exchange.close();
        });
        server.start();
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v1/traces");
    }

    private static final class Result {
        final CompletableFuture<Object> done = new CompletableFuture<>();
        volatile String thread;

        Object get() throws Exception {
            return done.get(10, TimeUnit.SECONDS);
        }
    }

    private Result send(Transport transport, URI endpoint, Duration timeout, Compressor compressor, String message) {
        HttpTransport created = transport.create(scheduler);
        HttpTransport counted = (request, deadline, onResponse, onError) -> {
            attempts.incrementAndGet();
            created.send(request, deadline, onResponse, onError);
        };
        SharedHttpSender sender = new SharedHttpSender(counted, scheduler, config(endpoint, timeout, compressor));
        Result result = new Result();
        sender.send(writer(message), response -> {
            result.thread = Thread.currentThread().getName();
            result.done.complete(response);
        }, error -> {
            result.thread = Thread.currentThread().getName();
            result.done.complete(error);
        });
        return result;
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void retryableStatusesAreRetriedAndTheAnswerCompletesOnTheSchedulerThread(Transport transport) throws Exception {
        URI endpoint = serve();
        statuses.addAll(List.of(503, 429));
        Result result = send(transport, endpoint, Duration.ofSeconds(5), null, "spans");
        assertThat(result.get()).isInstanceOf(HttpResponse.class);
        assertThat(((HttpResponse) result.get()).getStatusCode()).isEqualTo(200);
        assertThat(requests.get()).isEqualTo(3);
        assertThat(result.thread).isEqualTo("test-agent-1");
        assertThat(received).containsOnly("secret:spans");
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aClientErrorIsNotRetried(Transport transport) throws Exception {
        URI endpoint = serve();
        statuses.add(400);
        Result result = send(transport, endpoint, Duration.ofSeconds(5), null, "spans");
        assertThat(((HttpResponse) result.get()).getStatusCode()).isEqualTo(400);
        assertThat(requests.get()).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void anUnreachableCollectorFailsWithinTheTimeoutAfterRetries(Transport transport) throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        long start = System.nanoTime();
        Result result = send(transport, URI.create("http://127.0.0.1:" + port + "/v1/traces"), Duration.ofMillis(800), null, "x");
        assertThat(result.get()).isInstanceOf(java.net.ConnectException.class);
        assertThat(System.nanoTime() - start).isLessThan(TimeUnit.SECONDS.toNanos(3));
        assertThat(attempts.get()).as("connect failures are retried").isGreaterThan(1);
        assertThat(result.thread).isEqualTo("test-agent-1");
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void compressedWhenTheExporterAsksForIt(Transport transport) throws Exception {
        URI endpoint = serve();
        Compressor gzip = new Compressor() {
            @Override
            public String getEncoding() {
                return "gzip";
            }

            @Override
            public OutputStream compress(OutputStream out) throws IOException {
                return new GZIPOutputStream(out);
            }
        };
        Result result = send(transport, endpoint, Duration.ofSeconds(5), gzip, "compressed spans");
        assertThat(((HttpResponse) result.get()).getStatusCode()).isEqualTo(200);
        assertThat(received).containsOnly("secret:compressed spans");
    }

    @Test
    void consecutiveExportsOverThePolledTransportReuseOneBodyArrayAndEachArrivesWhole() throws Exception {
        URI endpoint = serve();
        SharedHttpSender sender = new SharedHttpSender(new NioHttpTransport(scheduler), scheduler,
                config(endpoint, Duration.ofSeconds(5), null));
        List<String> messages = List.of("x".repeat(300), "short", "y".repeat(200), "z".repeat(5000));
        for (String message : messages) {
            CompletableFuture<Object> done = new CompletableFuture<>();
            sender.send(writer(message), done::complete, done::complete);
            assertThat(done.get(10, TimeUnit.SECONDS)).isInstanceOf(HttpResponse.class);
        }
        // a stale or longer-than-written array would show up as extra or old bytes
        assertThat(received).containsExactly(messages.stream().map(m -> "secret:" + m).toArray(String[]::new));
    }

    private static MessageWriter writer(String message) {
        byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
        return new MessageWriter() {
            @Override
            public void writeMessage(OutputStream out) throws IOException {
                out.write(bytes);
            }

            @Override
            public int getContentLength() {
                return bytes.length;
            }
        };
    }

    static HttpSenderConfig config(URI endpoint, Duration timeout, Compressor compressor) {
        return new HttpSenderConfig() {
            @Override
            public URI getEndpoint() {
                return endpoint;
            }

            @Override
            public String getContentType() {
                return "application/x-protobuf";
            }

            @Override
            public Compressor getCompressor() {
                return compressor;
            }

            @Override
            public Duration getTimeout() {
                return timeout;
            }

            @Override
            public Duration getConnectTimeout() {
                return timeout;
            }

            @Override
            public Supplier<Map<String, List<String>>> getHeadersSupplier() {
                return () -> Map.of("X-Key", List.of("secret"));
            }

            @Override
            public ProxyOptions getProxyOptions() {
                return null;
            }

            @Override
            public RetryPolicy getRetryPolicy() {
                return FAST_RETRY;
            }

            @Override
            public SSLContext getSslContext() {
                return null;
            }

            @Override
            public X509TrustManager getTrustManager() {
                return null;
            }

            @Override
            public ExecutorService getExecutorService() {
                return null;
            }
        };
    }
}
