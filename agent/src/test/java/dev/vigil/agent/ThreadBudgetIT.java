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
 * The threads Vigil adds to its host (issue 7: at most a handful): the same application with and without the agent
 * (OTLP traces and metrics, the Prometheus endpoint off, defaults otherwise), its thread names compared while spans
 * and metrics are flowing.
 */
class ThreadBudgetIT {
    /** What the agent may add: its one scheduler, the shared HTTP client's selector, its JFR stream, the JVM's JFR. */
    private static final List<Pattern> ALLOWED = List.of(Pattern.compile("vigil-agent-1"),
            Pattern.compile("HttpClient-\\d+-SelectorManager"), Pattern.compile("vigil-jfr-\\d+"),
            Pattern.compile("JFR Recorder Thread"), Pattern.compile("JFR Periodic Tasks"));
    /**
     * The JDK HttpClient completes {@code sendAsync} through the CompletableFuture default executor: a common-pool
     * worker on hosts with more than two cores (unless the application has one already), a short-lived thread per
     * request on smaller ones. Not the agent's, but counted apart so that it stays visible.
     */
    private static final Pattern COMMON_POOL = Pattern.compile("ForkJoinPool\\.commonPool-worker-\\d+");

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void theAgentAddsAtMostFiveThreadsAndStillExportsSpansAndMetrics() throws Exception {
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
            load(port);
            await().atMost(Duration.ofSeconds(20)).until(() -> receiver.spans(s -> s.name().contains("/api/items")).size() >= 5);
            await().atMost(Duration.ofSeconds(20)).until(() -> !receiver.metrics("http.server.request.duration").isEmpty());
            // the JFR stream starts runtime.start.delay.ms after the agent: count once everything runs
            await().atMost(Duration.ofSeconds(30)).until(() -> !receiver.metrics("vigil.memory.allocated").isEmpty());
            load(port); // a second round of exports while the threads are listed
            Set<String> added = stableThreads(port);
            added.removeAll(without);

            Set<String> commonPool = new TreeSet<>();
            added.removeIf(name -> COMMON_POOL.matcher(name).matches() && commonPool.add(name));
            assertThat(added).as("threads the agent added").allMatch(name -> ALLOWED.stream()
                    .anyMatch(p -> p.matcher(name).matches()), "one of " + ALLOWED).hasSizeLessThanOrEqualTo(5)
                    .contains("vigil-agent-1");
            assertThat(added.stream().filter(n -> n.contains("SelectorManager"))).as("one HTTP client for both signals")
                    .hasSize(1);
            assertThat(commonPool).as("common-pool workers for the JDK HttpClient's completions").hasSizeLessThanOrEqualTo(1);
            System.out.println("threads added by the agent: " + added + (commonPool.isEmpty() ? "" : " + " + commonPool));
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
            if (stable == null) {
                stable = names;
            } else {
                stable.retainAll(names);
            }
        }
        return stable;
    }
}
