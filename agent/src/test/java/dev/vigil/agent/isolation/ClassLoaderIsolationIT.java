package dev.vigil.agent.isolation;

import dev.vigil.testing.ForkedJvm;
import dev.vigil.testing.OtlpReceiver;
import dev.vigil.testing.OtlpReceiver.ReceivedSpan;
import io.opentelemetry.proto.trace.v1.Span.SpanKind;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * DESIGN.md "Class-loader isolation": instrumentation works inside a child-first (webapp-style) loader and a
 * {@code parent = null} loader. {@code IsolatedLoadersApp} runs one servlet request through three copies of
 * {@code jakarta.servlet} (application loader, child-first loader, parent-null loader); each copy of
 * {@code HttpServlet.service} is a separately instrumented class.
 *
 * <ul>
 *   <li>child-first: the advice inlined into the child's own {@code HttpServlet} binds to the child's servlet
 *       types although the parent has the same names (no LinkageError/ClassCastException across copies), the
 *       loader matcher accepts the loader, and the span context flows from that servlet into a JDK HttpClient
 *       call made by a class of that loader (client span is the server span's child).</li>
 *   <li>parent = null: the only way such a loader reaches {@code dev.vigil.bridge} is the boot loader, so the
 *       span proves the bridge is defined there (not merely on the system class path); that loader cannot see
 *       {@code java.net.http}, so it makes no client call.</li>
 * </ul>
 */
class ClassLoaderIsolationIT {
    static OtlpReceiver receiver;
    static ForkedJvm app;
    static int downstreamPort;

    @BeforeAll
    static void start() throws Exception {
        receiver = new OtlpReceiver();
        app = ForkedJvm.builder("dev.vigil.testapps.loaders.IsolatedLoadersApp")
                // the app serves its requests inside main, so the agent must be complete before main runs
                .withAgent("otlp.endpoint=" + receiver.endpoint() + ",bsp.schedule.delay.ms=100,prometheus.port=0,"
                        + "service.name=loaders,startup.mode=sync")
                .libraries("jakarta.servlet-api")
                .start();
        downstreamPort = app.awaitReadyPort();
    }

    @AfterAll
    static void stop() throws Exception {
        ForkedJvm.closeAll(app, receiver);
    }

    @Test
    void eachLoaderRanTheServletOnItsOwnCopyOfTheServletApi() {
        assertThat(app.lines()).as(app.output())
                .contains("LOADER system 200 app hello from app|downstream 204")
                .contains("LOADER child-first 200 child-first hello from child-first|downstream 204")
                .contains("LOADER parent-null 200 parent-null hello from parent-null")
                .contains("OWN child-first jakarta.servlet.Servlet true", "OWN parent-null jakarta.servlet.Servlet true")
                .contains("SEES child-first java.net.http.HttpClient true", "SEES parent-null java.net.http.HttpClient false")
                .contains("SEES child-first dev.vigil.bridge.Hooks true", "SEES parent-null dev.vigil.bridge.Hooks true");
        assertThat(app.output()).doesNotContain("could not instrument").doesNotContain("instrumentation error");
    }

    @ParameterizedTest
    @ValueSource(strings = {"system", "child-first", "parent-null"})
    void theServletRequestIsTraced(String loader) {
        ReceivedSpan server = await().atMost(Duration.ofSeconds(20)).until(() -> receiver.spans(
                s -> s.kind() == SpanKind.SPAN_KIND_SERVER && ("loader=" + loader).equals(s.stringAttribute("url.query"))),
                l -> !l.isEmpty()).get(0);
        assertThat(server.stringAttribute("url.path")).isEqualTo("/hello");
        assertThat(server.longAttribute("http.response.status_code")).isEqualTo(200L);
        assertThat(server.parentSpanId()).isEmpty();

        if (!loader.equals("parent-null")) {
            List<ReceivedSpan> trace = await().atMost(Duration.ofSeconds(20)).until(
                    () -> receiver.spans(s -> s.traceId().equals(server.traceId())), l -> l.size() >= 3);
            ReceivedSpan client = trace.stream().filter(s -> s.kind() == SpanKind.SPAN_KIND_CLIENT).findFirst().orElseThrow();
            assertThat(client.parentSpanId()).as("client span of " + loader).isEqualTo(server.spanId());
            assertThat(client.stringAttribute("url.full")).isEqualTo("http://127.0.0.1:" + downstreamPort + "/downstream");
            assertThat(trace).anyMatch(s -> s.kind() == SpanKind.SPAN_KIND_SERVER
                    && "/downstream".equals(s.stringAttribute("url.path")) && s.parentSpanId().equals(client.spanId()));
        }
    }
}
