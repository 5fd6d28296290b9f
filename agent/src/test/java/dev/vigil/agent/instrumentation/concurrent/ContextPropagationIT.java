package dev.vigil.agent.instrumentation.concurrent;

import dev.vigil.testing.ForkedJvm;
import dev.vigil.testing.OtlpReceiver;
import dev.vigil.testing.OtlpReceiver.ReceivedSpan;
import io.opentelemetry.proto.trace.v1.Span.SpanKind;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A traced request hands work to another thread in every way the JDK offers; the HTTP call made there must be a
 * child of the request's server span. Work handed over without a span, or run later on a thread that ran traced
 * work before, must start its own trace.
 */
class ContextPropagationIT {
    static OtlpReceiver receiver;
    static ForkedJvm app;
    static int port;
    static final HttpClient TEST_CLIENT = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        receiver = new OtlpReceiver();
        app = ForkedJvm.builder("dev.vigil.testapps.ContextPropagationApp")
                .withAgent("otlp.endpoint=" + receiver.endpoint() + ",bsp.schedule.delay.ms=100,prometheus.port=0"
                        + ",service.name=context-app")
                .start();
        port = app.awaitReadyPort();
    }

    @AfterAll
    static void stop() throws Exception {
        if (app != null) {
            app.close();
        }
        receiver.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"execute", "submit", "schedule", "forkjoin-submit", "forkjoin-fork",
            "completablefuture-supply", "completablefuture-chain", "completablefuture-registered", "thread"})
    void theCallMadeOnAnotherThreadIsAChildOfTheRequest(String mode) throws Exception {
        assertChildOfRequest(mode);
    }

    /** The forked app may run on another Java than Maven's (-Dit.java.home): the condition asks that Java. */
    @ParameterizedTest
    @ValueSource(strings = {"virtual-thread", "virtual-executor"})
    @EnabledIf("forkedJvmHasVirtualThreads")
    void theCallMadeOnAVirtualThreadIsAChildOfTheRequest(String mode) throws Exception {
        assertChildOfRequest(mode);
    }

    @Test
    void workHandedOverWithoutASpanStartsItsOwnTrace() throws Exception {
        Call call = call("/untraced", "execute");
        ReceivedSpan client = clientSpan(call);
        assertThat(client.parentSpanId()).as("client span of untraced work is a root").isEmpty();
        assertThat(client.traceId()).isNotEqualTo(serverSpan(call).traceId());
    }

    @Test
    void aPoolThreadDoesNotKeepTheContextOfItsPreviousTask() throws Exception {
        Call traced = assertChildOfRequest("single");
        Call untraced = call("/untraced", "single");
        assertThat(workerOf(untraced)).as("same single pool thread").isEqualTo(workerOf(traced));
        ReceivedSpan client = clientSpan(untraced);
        assertThat(client.parentSpanId()).as("untraced task after a traced one on " + workerOf(untraced)).isEmpty();
        assertThat(client.traceId()).isNotEqualTo(clientSpan(traced).traceId());
    }

    @Test
    void aForkJoinWorkerDoesNotKeepTheContextOfItsPreviousTask() throws Exception {
        Call traced = assertChildOfRequest("forkjoin-single");
        Call untraced = call("/untraced", "forkjoin-single");
        assertThat(workerOf(untraced)).as("same fork/join worker").isEqualTo(workerOf(traced));
        assertThat(clientSpan(untraced).parentSpanId()).as("untraced fork/join task after a traced one").isEmpty();
    }

    static boolean forkedJvmHasVirtualThreads() throws IOException {
        Path release = Path.of(ForkedJvm.javaExecutable()).getParent().getParent().resolve("release");
        String version = Files.readAllLines(release).stream().filter(l -> l.startsWith("JAVA_VERSION="))
                .findFirst().orElseThrow().replaceAll("[^0-9.]", "");
        return Integer.parseInt(version.split("\\.")[0]) >= 21;
    }

    record Call(String nonce, String target, String body) {
    }

    static Call assertChildOfRequest(String mode) throws Exception {
        Call call = call("/work", mode);
        assertThat(workerOf(call)).as("work ran on another thread").isNotEqualTo(line(call, "handler="));
        ReceivedSpan server = serverSpan(call);
        ReceivedSpan client = clientSpan(call);
        assertThat(client.traceId()).as(mode + ": same trace as the request").isEqualTo(server.traceId());
        assertThat(client.parentSpanId()).as(mode + ": parent is the server span").isEqualTo(server.spanId());
        assertThat(line(call, "vigilFrames=")).as(mode + ": the task's stack holds no frame of the agent's")
                .isEqualTo("0");
        return call;
    }

    static Call call(String path, String mode) throws Exception {
        String nonce = UUID.randomUUID().toString();
        String target = "http://127.0.0.1:" + port + "/leaf?via=" + mode + "&n=" + nonce;
        HttpResponse<String> response = TEST_CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                                + path + "?mode=" + mode + "&n=" + nonce + "&target="
                                + URLEncoder.encode(target, StandardCharsets.UTF_8)))
                        .timeout(Duration.ofSeconds(40)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).as(mode).contains("\n200\nleaf");
        return new Call(nonce, target, response.body());
    }

    static String workerOf(Call call) {
        return line(call, "worker=");
    }

    static String line(Call call, String prefix) {
        return call.body().lines().filter(l -> l.startsWith(prefix)).findFirst().orElseThrow()
                .substring(prefix.length());
    }

    static ReceivedSpan serverSpan(Call call) {
        return only(call, s -> s.kind() == SpanKind.SPAN_KIND_SERVER && s.stringAttribute("url.query") != null
                && s.stringAttribute("url.query").contains("n=" + call.nonce()) && !"/leaf".equals(s.stringAttribute("url.path")));
    }

    static ReceivedSpan clientSpan(Call call) {
        return only(call, s -> s.kind() == SpanKind.SPAN_KIND_CLIENT && call.target().equals(s.stringAttribute("url.full")));
    }

    static ReceivedSpan only(Call call, java.util.function.Predicate<ReceivedSpan> filter) {
        List<ReceivedSpan> spans = await().atMost(Duration.ofSeconds(20)).until(() -> receiver.spans(filter),
                l -> !l.isEmpty());
        assertThat(spans).as("spans for " + call.target()).hasSize(1);
        return spans.get(0);
    }
}
