package dev.vigil.agent.attach;

import dev.vigil.testing.AgentCli;
import dev.vigil.testing.ForkedJvm;
import dev.vigil.testing.OtlpReceiver;
import dev.vigil.testing.OtlpReceiver.ReceivedSpan;
import io.opentelemetry.proto.trace.v1.Span.SpanKind;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code java -jar vigil-agent.jar attach} into JVMs that started without the agent: their HTTP server contexts
 * and HTTP client exist (and their classes are loaded and used) before the attach, so tracing from the next
 * request on proves retransformation of {@code com.sun.net.httpserver} and {@code jdk.internal.net.http}.
 *
 * <p>Each forked JVM gets a unique token as its program argument: it appears in the JVM's display name, so
 * attaching by pattern can only ever match this test's JVMs, never another build's on the same machine.
 */
class AttachIT {
    private static final String DYNAMIC_AGENT_WARNING = "A Java agent has been loaded dynamically";
    private static final HttpClient TEST_CLIENT = HttpClient.newHttpClient();
    private static final String TOKEN = "attach-it-" + UUID.randomUUID();

    static OtlpReceiver receiver;
    static ForkedJvm front;
    static ForkedJvm back;
    static int frontPort;
    static int backPort;

    @BeforeAll
    static void start() throws Exception {
        receiver = new OtlpReceiver();
        front = ForkedJvm.builder("dev.vigil.testapps.JdkHttpServerApp").args(TOKEN).start();
        back = ForkedJvm.builder("dev.vigil.testapps.JdkHttpServerApp").args(TOKEN).start();
        frontPort = front.awaitReadyPort();
        backPort = back.awaitReadyPort();
    }

    @AfterAll
    static void stop() throws Exception {
        ForkedJvm.closeAll(front, back, receiver);
    }

    static HttpResponse<String> get(int port, String pathAndQuery) throws Exception {
        return TEST_CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery))
                .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> frontToBack(String marker) throws Exception {
        String target = "http://127.0.0.1:" + backPort + "/echo";
        return get(frontPort, "/front?client=jdk&marker=" + marker + "&target=" + URLEncoder.encode(target, StandardCharsets.UTF_8));
    }

    @Test
    void attachByPatternTracesServersAndClientsThatExistedBefore() throws Exception {
        // Before: the server and the client are loaded and used, and nothing is traced or propagated.
        HttpResponse<String> before = frontToBack("before");
        assertThat(before.statusCode()).isEqualTo(200);
        assertThat(before.body()).doesNotContain("traceparent");

        AgentCli.Result list = AgentCli.run("list");
        assertThat(list.exitCode()).isZero();
        assertThat(list.stdout().lines()).as(list.toString())
                .anyMatch(l -> l.startsWith(front.pid() + "\t") && l.contains("JdkHttpServerApp " + TOKEN))
                .anyMatch(l -> l.startsWith(back.pid() + "\t") && l.contains("JdkHttpServerApp " + TOKEN));

        // Both argument forms in one command: a comma list in one word, separate words, an escaped comma.
        AgentCli.Result attach = AgentCli.run("attach", TOKEN,
                "otlp.endpoint=" + receiver.endpoint() + ",bsp.schedule.delay.ms=100", "prometheus.port=0",
                "resource.attributes=it.token=" + TOKEN + "\\,it.attached=yes");
        assertThat(attach.exitCode()).as(attach.toString()).isZero();
        assertThat(attach.stdout()).contains("attached to " + front.pid()).contains("attached to " + back.pid());
        front.awaitLine(l -> l.contains("[vigil]") && l.contains("(attached)"), Duration.ofSeconds(30));
        back.awaitLine(l -> l.contains("[vigil]") && l.contains("(attached)"), Duration.ofSeconds(30));

        HttpResponse<String> after = frontToBack("after");
        assertThat(after.statusCode()).isEqualTo(200);
        String traceparent = after.body().lines().filter(l -> l.startsWith("traceparent: ")).findFirst()
                .orElseThrow(() -> new AssertionError("no traceparent reached the back end: " + after.body()))
                .substring("traceparent: ".length());
        String traceId = traceparent.split("-")[1];

        List<ReceivedSpan> trace = await().atMost(Duration.ofSeconds(20))
                .until(() -> receiver.spans(s -> s.traceId().equals(traceId)), spans -> spans.size() >= 3);
        ReceivedSpan frontServer = only(trace, SpanKind.SPAN_KIND_SERVER, front.pid());
        ReceivedSpan frontClient = only(trace, SpanKind.SPAN_KIND_CLIENT, front.pid());
        ReceivedSpan backServer = only(trace, SpanKind.SPAN_KIND_SERVER, back.pid());
        assertThat(frontServer.name()).isEqualTo("GET /front");
        assertThat(frontServer.stringAttribute("url.query")).contains("marker=after");
        assertThat(frontClient.parentSpanId()).isEqualTo(frontServer.spanId());
        assertThat(frontClient.spanId()).isEqualTo(traceparent.split("-")[2]);
        assertThat(backServer.parentSpanId()).isEqualTo(frontClient.spanId());
        assertThat(backServer.name()).isEqualTo("GET /echo");
        // the escaped comma kept both attributes in one value
        assertThat(frontServer.resourceAttribute("it.token")).isEqualTo(TOKEN);
        assertThat(frontServer.resourceAttribute("it.attached")).isEqualTo("yes");
        assertThat(receiver.spans(s -> String.valueOf(s.stringAttribute("url.query")).contains("marker=before"))).isEmpty();

        // JEP 451: from JDK 21 on, the target itself warns about the dynamically loaded agent; the agent works anyway.
        if (ForkedJvm.javaFeatureVersion() >= 21) {
            assertThat(front.output()).contains(DYNAMIC_AGENT_WARNING);
        } else {
            assertThat(front.output()).doesNotContain(DYNAMIC_AGENT_WARNING);
        }

        // A second attach is refused and leaves the running agent (and the application) as they were.
        AgentCli.Result again = AgentCli.run("attach", Long.toString(front.pid()), "service.name=second");
        assertThat(again.exitCode()).as(again.toString()).isEqualTo(1);
        assertThat(again.stderr()).contains("not attached to " + front.pid()).contains("Vigil is already running there");
        HttpResponse<String> still = frontToBack("still");
        assertThat(still.statusCode()).isEqualTo(200);
        String stillTrace = still.body().lines().filter(l -> l.startsWith("traceparent: ")).findFirst().orElseThrow()
                .split("-")[1];
        List<ReceivedSpan> stillSpans = await().atMost(Duration.ofSeconds(20))
                .until(() -> receiver.spans(s -> s.traceId().equals(stillTrace)), spans -> spans.size() >= 3);
        assertThat(stillSpans).allMatch(s -> !"second".equals(s.resourceAttribute("service.name")));
        assertThat(front.output().lines().filter(l -> l.contains("[vigil]") && l.contains(" started in "))).hasSize(1);
    }

    @Test
    void enableDynamicAgentLoadingSilencesTheJep451Warning() throws Exception {
        assumeTrue(ForkedJvm.javaFeatureVersion() >= 21, "the warning and the flag exist from JDK 21 on");
        try (ForkedJvm app = ForkedJvm.builder("dev.vigil.testapps.JdkHttpServerApp")
                .jvmArg("-XX:+EnableDynamicAgentLoading").args(TOKEN + "-flag").start()) {
            int port = app.awaitReadyPort();
            AgentCli.Result attach = AgentCli.run("attach", Long.toString(app.pid()), "traces.exporter=none",
                    "prometheus.port=0");
            assertThat(attach.exitCode()).as(attach.toString()).isZero();
            app.awaitLine(l -> l.contains("[vigil]") && l.contains("(attached)"), Duration.ofSeconds(30));
            assertThat(get(port, "/api/items").statusCode()).isEqualTo(200);
            assertThat(app.output()).doesNotContain(DYNAMIC_AGENT_WARNING);
        }
    }

    @Test
    void attachingToAPidWithoutProcessFailsClearly() throws Exception {
        Process gone = new ProcessBuilder(ForkedJvm.javaExecutable(), "-version").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        gone.waitFor();
        AgentCli.Result result = AgentCli.run("attach", Long.toString(gone.pid()));
        assertThat(result.exitCode()).as(result.toString()).isEqualTo(1);
        assertThat(result.stderr()).contains("no process with pid " + gone.pid());
    }

    @Test
    void badArgumentsAttachNothing() throws Exception {
        AgentCli.Result result = AgentCli.run("attach", Long.toString(front.pid()), "resource.attributes=a=1,b=2");
        assertThat(result.exitCode()).as(result.toString()).isEqualTo(2);
        assertThat(result.stderr()).contains("unknown key 'b'").contains("nothing attached");
    }

    static ReceivedSpan only(List<ReceivedSpan> spans, SpanKind kind, long pid) {
        List<ReceivedSpan> matching = spans.stream()
                .filter(s -> s.kind() == kind && Long.toString(pid).equals(pidOf(s))).toList();
        assertThat(matching).as(kind + " spans of pid " + pid + " in " + spans).hasSize(1);
        return matching.get(0);
    }

    private static String pidOf(ReceivedSpan span) {
        return span.resource().getAttributesList().stream().filter(kv -> kv.getKey().equals("process.pid"))
                .map(kv -> Long.toString(kv.getValue().getIntValue())).findFirst().orElse(null);
    }
}
