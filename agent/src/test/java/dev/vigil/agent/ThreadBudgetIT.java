package dev.vigil.agent;

import dev.vigil.testing.ForkedJvm;
import dev.vigil.testing.OtlpReceiver;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The threads Vigil adds to its host (issue 7: at most four): the same application with and without the agent
 * (OTLP traces and metrics, the Prometheus endpoint off, defaults otherwise), its thread names compared while spans
 * and metrics are flowing.
 */
class ThreadBudgetIT {
    /**
     * What the agent may add: its one scheduler (which also drives the OTLP requests to an {@code http://} collector:
     * no HTTP client thread, no common-pool hop), its JFR stream, the JVM's two JFR threads.
     */
    private static final List<Pattern> ALLOWED = List.of(Pattern.compile("vigil-agent-1"),
            Pattern.compile("vigil-jfr-\\d+"), Pattern.compile("JFR Recorder Thread"), Pattern.compile("JFR Periodic Tasks"));

    private final HttpClient http = HttpClient.newHttpClient();
    /** Every thread name in any listing, short-lived ones included. */
    private final Set<String> seen = new TreeSet<>();

    @Test
    void theAgentAddsAtMostFourThreadsAndStillExportsSpansAndMetrics() throws Exception {
        Set<String> without;
        try (ForkedJvm app = ForkedJvm.builder("dev.vigil.testapps.ThreadsApp").start()) {
            int port = app.awaitReadyPort();
            load(port);
            without = stableThreads(port);
        }
        try (OtlpReceiver receiver = new OtlpReceiver();
             ForkedJvm app = ForkedJvm.builder("dev.vigil.testapps.ThreadsApp")
                     .withAgent("otlp.endpoint=" + receiver.endpoint() + ",prometheus.port=0,"
                             + "metrics.export.interval.ms=1000")
                     .start()) {
            int port = app.awaitReadyPort();
            seen.clear();
            load(port);
            await().atMost(Duration.ofSeconds(20)).until(() -> receiver.spans(s -> s.name().contains("/api/items")).size() >= 5);
            await().atMost(Duration.ofSeconds(20)).until(() -> !receiver.metrics("http.server.request.duration").isEmpty());
            // the JFR stream starts runtime.start.delay.ms after the agent: count once everything runs
            await().atMost(Duration.ofSeconds(30)).until(() -> !receiver.metrics("vigil.memory.allocated").isEmpty());
            load(port); // a second round of exports while the threads are listed
            Set<String> added = stableThreads(port);
            added.removeAll(without);

            assertThat(added).as("threads the agent added").allMatch(name -> ALLOWED.stream()
                    .anyMatch(p -> p.matcher(name).matches()), "one of " + ALLOWED).hasSizeLessThanOrEqualTo(4)
                    .contains("vigil-agent-1");
            assertThat(seen).as("no HTTP client thread, no completion hop, even short-lived")
                    .noneMatch(name -> name.startsWith("HttpClient-") || name.startsWith("ForkJoinPool.commonPool"));
            System.out.println("threads added by the agent: " + added);
        }
    }

    private void load(int port) throws IOException, InterruptedException {
        for (int i = 0; i < 10; i++) {
            http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/items")).build(),
                    HttpResponse.BodyHandlers.discarding());
        }
    }

    /** Threads present in three listings 300 ms apart (a thread living for one request is not an added thread). */
    private Set<String> stableThreads(int port) throws IOException, InterruptedException {
        Set<String> stable = null;
        for (int i = 0; i < 3; i++) {
            if (i > 0) {
                Thread.sleep(300); // spacing of the listings, not synchronisation
            }
            Set<String> names = new TreeSet<>(Arrays.asList(http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/threads")).build(),
                    HttpResponse.BodyHandlers.ofString()).body().split("\n")));
            seen.addAll(names);
            if (stable == null) {
                stable = names;
            } else {
                stable.retainAll(names);
            }
        }
        return stable;
    }
}
