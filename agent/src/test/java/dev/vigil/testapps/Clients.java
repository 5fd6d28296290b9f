package dev.vigil.testapps;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Plain client calls the test apps make while handling a request, one per client library. No tracing code:
 * the agent adds spans and headers.
 */
public final class Clients {
    private static final HttpClient JDK = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private Clients() {
    }

    /** Calls {@code url} with the named client library and returns "status\nbody". */
    public static String call(String client, String url) throws Exception {
        switch (client) {
            case "jdk": {
                HttpResponse<String> r = JDK.send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
                        HttpResponse.BodyHandlers.ofString());
                return r.statusCode() + "\n" + r.body();
            }
            case "jdk-async": {
                HttpResponse<String> r = JDK.sendAsync(HttpRequest.newBuilder(URI.create(url)).GET().build(),
                        HttpResponse.BodyHandlers.ofString()).get();
                return r.statusCode() + "\n" + r.body();
            }
            case "urlconnection": {
                HttpURLConnection c = (HttpURLConnection) new URL(url).openConnection();
                c.setConnectTimeout(5000);
                c.setReadTimeout(20000);
                int status = c.getResponseCode();
                try (InputStream in = status < 400 ? c.getInputStream() : c.getErrorStream()) {
                    return status + "\n" + (in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8));
                }
            }
            case "urlconnection-post": {
                // the request starts at getOutputStream; the response code ends it
                HttpURLConnection c = (HttpURLConnection) new URL(url).openConnection();
                c.setConnectTimeout(5000);
                c.setReadTimeout(20000);
                c.setRequestMethod("POST");
                c.setDoOutput(true);
                try (java.io.OutputStream out = c.getOutputStream()) {
                    out.write("payload".getBytes(StandardCharsets.UTF_8));
                }
                int status = c.getResponseCode();
                try (InputStream in = status < 400 ? c.getInputStream() : c.getErrorStream()) {
                    return status + "\n" + (in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8));
                }
            }
            default:
                return ApacheClients.call(client, url);
        }
    }

    /** The W3C headers a request carried, one "name: value" line per header value, for echo endpoints. */
    public static String echo(Iterable<String> traceparent, Iterable<String> tracestate, Iterable<String> baggage) {
        StringBuilder sb = new StringBuilder();
        traceparent.forEach(v -> sb.append("traceparent: ").append(v).append('\n'));
        tracestate.forEach(v -> sb.append("tracestate: ").append(v).append('\n'));
        baggage.forEach(v -> sb.append("baggage: ").append(v).append('\n'));
        return sb.toString();
    }

    static String readAll(InputStream in) throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
}
