package dev.vigil.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.DoubleStream;

/** Scrapes an agent's Prometheus endpoint and reads sample values. */
public final class Scrape {
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    private Scrape() {
    }

    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    public static HttpResponse<String> get(int port, String accept) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                .timeout(Duration.ofSeconds(10));
        if (accept != null) {
            b.header("Accept", accept);
        }
        return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    public static String text(int port) throws Exception {
        return get(port, null).body();
    }

    /** Value of the first sample whose line starts with {@code nameAndLabelsPrefix}; NaN when absent. */
    public static double value(String body, String nameAndLabelsPrefix) {
        for (String line : body.split("\n")) {
            if (line.startsWith(nameAndLabelsPrefix)) {
                Matcher m = Pattern.compile("\\s(\\S+)(\\s\\d+)?$").matcher(line);
                if (m.find()) {
                    return Double.parseDouble(m.group(1));
                }
            }
        }
        return Double.NaN;
    }

    /** Sum of the samples whose line starts with {@code prefix} and contains every one of {@code fragments}. */
    public static double sum(String body, String prefix, String... fragments) {
        return samples(body, prefix, fragments).sum();
    }

    /** Largest such sample, ignoring NaN; NaN when there is none. */
    public static double max(String body, String prefix, String... fragments) {
        return samples(body, prefix, fragments).filter(v -> !Double.isNaN(v)).max().orElse(Double.NaN);
    }

    private static DoubleStream samples(String body, String prefix, String... fragments) {
        return body.lines().filter(l -> l.startsWith(prefix) && Arrays.stream(fragments).allMatch(l::contains))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)));
    }
}
