package dev.vigil.benchmarks;

import com.sun.net.httpserver.HttpServer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * An HTTP GET over loopback to a {@code com.sun.net.httpserver} server in the same JVM, through the JDK
 * {@code HttpClient} (HTTP/1.1, one client, keep-alive) and through {@code HttpURLConnection} (keep-alive, body
 * read to the end), with and without the agent. With the agent each call makes one CLIENT span, injects
 * {@code traceparent} and records {@code http.client.request.duration}; the server instrumentation is switched
 * off in that fork ({@code instrumentation.httpserver.enabled=false}) so that only the client's cost is added.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 10, time = 1) // the agent fork needs 6-10 s to reach steady state on a loaded 2-core machine
@Measurement(iterations = 3, time = 1)
public abstract class HttpClientBench {
    private static final byte[] BODY = "ok".getBytes(StandardCharsets.US_ASCII);

    private HttpServer server;
    private HttpClient client;
    private HttpRequest request;
    private URL url;
    private final byte[] buffer = new byte[256];

    abstract boolean withAgent();

    @Setup
    public void setUp() throws IOException {
        AgentFork.expectAgent(withAgent());
        // The server writes headers and body separately: without TCP_NODELAY, Nagle's algorithm and the client's
        // delayed ACK add 40 ms to every response.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/item", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                in.readAllBytes();
            }
            exchange.sendResponseHeaders(200, BODY.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(BODY);
            }
        });
        server.start();
        URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/item");
        url = uri.toURL();
        client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        request = HttpRequest.newBuilder(uri).GET().build();
    }

    @TearDown
    public void tearDown() {
        server.stop(0);
    }

    @Benchmark
    public String jdkHttpClient() throws IOException, InterruptedException {
        return client.send(request, HttpResponse.BodyHandlers.ofString()).body();
    }

    @Benchmark
    public int urlConnection() throws IOException {
        HttpURLConnection connection = (HttpURLConnection) url.openConnection();
        int status = connection.getResponseCode();
        int read = 0;
        try (InputStream in = connection.getInputStream()) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                read += n;
            }
        }
        return status + read;
    }

    @Fork(value = 1, jvmArgsAppend = {AgentFork.HEAP_MIN, AgentFork.HEAP_MAX})
    public static class NoAgent extends HttpClientBench {
        @Override
        boolean withAgent() {
            return false;
        }
    }

    @Fork(value = 1, jvmArgsAppend = {AgentFork.HEAP_MIN, AgentFork.HEAP_MAX,
            AgentFork.JAVAAGENT + ",instrumentation.httpserver.enabled=false"})
    public static class Vigil extends HttpClientBench {
        @Override
        boolean withAgent() {
            return true;
        }
    }
}
