package dev.vigil.exporters.otlp;

import com.sun.net.httpserver.HttpServer;
import dev.vigil.exporters.AgentScheduler;
import io.opentelemetry.sdk.common.export.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The polled HTTP/1.1 transport against a real HTTP server and against a raw TCP server for what real servers
 * rarely do: chunks, close-delimited bodies, kept-alive connections closed by the peer, no answer at all.
 */
class NioHttpTransportTest {
    private static final String OK_EMPTY = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n";

    private final AgentScheduler scheduler = new AgentScheduler(r -> new Thread(r, "test-agent-1"));
    private NioHttpTransport transport = new NioHttpTransport(scheduler);
    private final List<AutoCloseable> servers = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable server : servers) {
            server.close();
        }
        scheduler.shutdownNow();
    }

    private static final class Result {
        final CompletableFuture<Object> done = new CompletableFuture<>();
        volatile String thread;

        Object get() throws Exception {
            return done.get(10, TimeUnit.SECONDS);
        }

        OtlpResponse response() throws Exception {
            assertThat(get()).isInstanceOf(OtlpResponse.class);
            return (OtlpResponse) get();
        }

        String body() throws Exception {
            return new String(response().body(), StandardCharsets.UTF_8);
        }
    }

    private Result send(int port, String body, Duration timeout) {
        return send(port, body, timeout, 4 * 1024 * 1024);
    }

    private Result send(int port, String body, Duration timeout, long maxResponseBytes) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        OtlpRequest request = new OtlpRequest(URI.create("http://127.0.0.1:" + port + "/v1/traces"),
                List.of(Map.entry("Content-Type", "application/x-protobuf"), Map.entry("X-Key", "secret")),
                bytes, bytes.length, maxResponseBytes);
        Result result = new Result();
        transport.send(request, System.nanoTime() + timeout.toNanos(), (HttpResponse response) -> {
            result.thread = Thread.currentThread().getName();
            result.done.complete(response);
        }, error -> {
            result.thread = Thread.currentThread().getName();
            result.done.complete(error);
        });
        return result;
    }

    private RawServer raw(RawServer.Handler handler) throws IOException {
        RawServer server = new RawServer(handler);
        servers.add(server);
        return server;
    }

    /** Answers every request on a connection with {@code response}, keeping it open. */
    private RawServer answering(String response) throws IOException {
        RawServer[] server = new RawServer[1];
        server[0] = raw((connection, index) -> {
            String request;
            while ((request = connection.readRequest()) != null) {
                server[0].requests.add(request);
                connection.write(response);
            }
        });
        return server[0];
    }

    private int openConnections() throws Exception {
        return scheduler.submit(transport::openConnections).get(5, TimeUnit.SECONDS);
    }

    @Test
    void keptAliveAgainstARealServer() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        servers.add(() -> server.stop(0));
        Queue<String> seen = new ConcurrentLinkedQueue<>();
        server.createContext("/v1/traces", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            seen.add(exchange.getRemoteAddress().getPort() + " " + exchange.getRequestHeaders().getFirst("X-Key") + " "
                    + exchange.getRequestHeaders().getFirst("Host") + " " + new String(body, StandardCharsets.UTF_8));
            byte[] answer = "partial".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.start();
        int port = server.getAddress().getPort();

        Result first = send(port, "one", Duration.ofSeconds(5));
        assertThat(first.body()).isEqualTo("partial");
        assertThat(first.thread).isEqualTo("test-agent-1");
        Result second = send(port, "two", Duration.ofSeconds(5));
        assertThat(second.body()).isEqualTo("partial");

        assertThat(seen).hasSize(2);
        List<String> ports = seen.stream().map(s -> s.substring(0, s.indexOf(' '))).distinct().toList();
        assertThat(ports).as("one TCP connection for both").hasSize(1);
        assertThat(seen).allMatch(s -> s.contains(" secret 127.0.0.1:" + port + " "));
        assertThat(openConnections()).isEqualTo(1);
    }

    @Test
    void requestHeadAsSent() throws Exception {
        RawServer server = answering(OK_EMPTY);
        assertThat(send(server.port(), "body", Duration.ofSeconds(5)).response().status()).isEqualTo(200);
        assertThat(server.requests).containsExactly("POST /v1/traces HTTP/1.1\r\nHost: 127.0.0.1:" + server.port()
                + "\r\nContent-Length: 4\r\nContent-Type: application/x-protobuf\r\nX-Key: secret\r\n\r\nbody");
    }

    @Test
    void chunkedResponse() throws Exception {
        RawServer server = answering("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "5\r\nhello\r\n6;x=y\r\n world\r\n0\r\n\r\n");
        assertThat(send(server.port(), "a", Duration.ofSeconds(5)).body()).isEqualTo("hello world");
        assertThat(send(server.port(), "b", Duration.ofSeconds(5)).body()).isEqualTo("hello world");
        assertThat(server.connections()).as("kept alive after a chunked body").isEqualTo(1);
    }

    @Test
    void closeDelimitedResponse() throws Exception {
        RawServer server = raw((connection, index) -> {
            connection.readRequest();
            connection.write("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil the end");
            connection.close();
        });
        assertThat(send(server.port(), "a", Duration.ofSeconds(5)).body()).isEqualTo("until the end");
        assertThat(send(server.port(), "b", Duration.ofSeconds(5)).body()).isEqualTo("until the end");
        assertThat(server.connections()).isEqualTo(2);
        assertThat(openConnections()).isZero();
    }

    @Test
    void connectionCloseFromTheServerIsHonoured() throws Exception {
        RawServer server = answering("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok");
        assertThat(send(server.port(), "a", Duration.ofSeconds(5)).body()).isEqualTo("ok");
        assertThat(openConnections()).isZero();
        assertThat(send(server.port(), "b", Duration.ofSeconds(5)).body()).isEqualTo("ok");
        assertThat(server.connections()).isEqualTo(2);
    }

    @Test
    void anIdleConnectionClosedByTheServerIsReplaced() throws Exception {
        CountDownLatch closed = new CountDownLatch(1);
        RawServer server = raw((connection, index) -> {
            connection.readRequest();
            connection.write(OK_EMPTY);
            if (index == 0) {
                connection.close(); // the collector's idle timeout, say
                closed.countDown();
            } else {
                while (connection.readRequest() != null) {
                    connection.write(OK_EMPTY);
                }
            }
        });
        assertThat(send(server.port(), "a", Duration.ofSeconds(5)).response().status()).isEqualTo(200);
        assertThat(closed.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(send(server.port(), "b", Duration.ofSeconds(5)).response().status()).isEqualTo(200);
        assertThat(server.connections()).isEqualTo(2);
    }

    @Test
    void aReusedConnectionThatDiesBeforeAnsweringIsRetriedOnceOnAFreshOne() throws Exception {
        RawServer server = raw((connection, index) -> {
            connection.readRequest();
            connection.write(OK_EMPTY);
            if (index == 0) {
                connection.readRequest(); // the second request arrives, and the connection dies unanswered
                connection.close();
            } else {
                while (connection.readRequest() != null) {
                    connection.write(OK_EMPTY);
                }
            }
        });
        assertThat(send(server.port(), "a", Duration.ofSeconds(5)).response().status()).isEqualTo(200);
        assertThat(send(server.port(), "b", Duration.ofSeconds(5)).response().status()).isEqualTo(200);
        assertThat(server.connections()).isEqualTo(2);
    }

    @Test
    void aFreshConnectionThatDiesIsNotRetried() throws Exception {
        RawServer server = raw((connection, index) -> {
            connection.readRequest();
            connection.close();
        });
        Object result = send(server.port(), "a", Duration.ofSeconds(5)).get();
        assertThat(result).isInstanceOf(IOException.class);
        assertThat(((IOException) result)).hasMessageContaining("before any response");
        assertThat(server.connections()).isEqualTo(1);
    }

    @Test
    void aServerThatNeverAnswersFailsTheRequestAtItsDeadlineWithoutBlockingTheScheduler() throws Exception {
        RawServer server = raw((connection, index) -> {
            connection.readRequest();
            new CountDownLatch(1).await(30, TimeUnit.SECONDS); // never answers
        });
        long start = System.nanoTime();
        Result result = send(server.port(), "a", Duration.ofMillis(600));
        // meanwhile, jobs on the same thread run on time
        long due = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
        CompletableFuture<Long> lateness = new CompletableFuture<>();
        scheduler.schedule(() -> lateness.complete(System.nanoTime() - due), 200, TimeUnit.MILLISECONDS);

        assertThat(result.get()).isInstanceOf(SocketTimeoutException.class);
        long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertThat(elapsedMillis).isBetween(550L, 2_000L);
        assertThat(result.thread).isEqualTo("test-agent-1");
        assertThat(TimeUnit.NANOSECONDS.toMillis(lateness.get(5, TimeUnit.SECONDS))).as("ms late").isLessThan(150);
        assertThat(openConnections()).as("the timed-out connection is closed").isZero();
    }

    @Test
    void connectionRefusedIsAConnectFailure() throws Exception {
        int port;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
            port = free.getLocalPort();
        }
        Object result = send(port, "a", Duration.ofSeconds(5)).get();
        assertThat(result).isInstanceOf(java.net.ConnectException.class);
        assertThat(SharedHttpSender.isConnectFailure((IOException) result)).isTrue();
    }

    @Test
    void aResponseOverTheLimitFailsTheExport() throws Exception {
        RawServer server = answering("HTTP/1.1 200 OK\r\nContent-Length: 5000\r\n\r\n" + "x".repeat(5000));
        Object result = send(server.port(), "a", Duration.ofSeconds(5), 1000).get();
        assertThat(result).isInstanceOf(IOException.class);
        assertThat((IOException) result).hasMessageContaining("larger than 1000 bytes");
    }

    @Test
    void aLargeBodyIsWrittenWhole() throws Exception {
        RawServer server = answering(OK_EMPTY);
        String body = "0123456789".repeat(50_000); // several write slices, more than a socket buffer
        assertThat(send(server.port(), body, Duration.ofSeconds(10)).response().status()).isEqualTo(200);
        assertThat(server.requests).singleElement().satisfies(r -> assertThat(r).endsWith("\r\n\r\n" + body));
    }

    @Test
    void atMostFourConnectionsPerEndpointAndTheFifthRequestWaitsForOne() throws Exception {
        CountDownLatch four = new CountDownLatch(NioHttpTransport.MAX_CONNECTIONS_PER_ENDPOINT);
        RawServer server = raw((connection, index) -> {
            four.countDown();
            while (connection.readRequest() != null) {
                four.await(5, TimeUnit.SECONDS); // answer once four connections are open
                connection.write(OK_EMPTY);
            }
        });
        List<Result> results = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            results.add(send(server.port(), "r" + i, Duration.ofSeconds(5)));
        }
        for (Result result : results) {
            assertThat(result.response().status()).isEqualTo(200);
        }
        assertThat(server.connections()).isEqualTo(NioHttpTransport.MAX_CONNECTIONS_PER_ENDPOINT);
    }

    @Test
    void idleConnectionsAreClosedAfterTheIdleTimeout() throws Exception {
        transport = new NioHttpTransport(scheduler, TimeUnit.MILLISECONDS.toNanos(100));
        RawServer server = answering(OK_EMPTY);
        assertThat(send(server.port(), "a", Duration.ofSeconds(5)).response().status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(5)).until(() -> openConnections() == 0);
    }

    @Test
    void closeClosesIdleConnections() throws Exception {
        RawServer server = answering(OK_EMPTY);
        assertThat(send(server.port(), "a", Duration.ofSeconds(5)).response().status()).isEqualTo(200);
        assertThat(openConnections()).isEqualTo(1);
        transport.close();
        assertThat(openConnections()).isZero();
    }
}
