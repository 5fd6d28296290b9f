package dev.vigil.agent.instrumentation.jdbc;

import dev.vigil.testing.ForkedJvm;
import dev.vigil.testing.OtlpReceiver;
import dev.vigil.testing.OtlpReceiver.ReceivedSpan;
import dev.vigil.testing.Scrape;
import io.opentelemetry.proto.trace.v1.Span;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

/**
 * Connection-leak detection and bind-value capture, in a forked JVM with the agent, over the same databases and
 * access paths as {@link JdbcTracingIT} (H2 plain and HikariCP by default; PostgreSQL and MariaDB with
 * {@code -Pservices}). The leak threshold is 1 s and statements of 200 ms or more are "slow".
 */
class JdbcLeakIT {
    static final HttpClient CLIENT = HttpClient.newHttpClient();
    static final String SITE = "dev.vigil.testapps.jdbc.JdbcLeakApp.leakConnection";
    static OtlpReceiver receiver;

    @BeforeAll
    static void start() throws IOException {
        receiver = new OtlpReceiver();
    }

    @AfterAll
    static void stop() {
        receiver.close();
    }

    static List<JdbcTracingIT.Target> targets() {
        List<JdbcTracingIT.Target> out = new ArrayList<>();
        for (JdbcTracingIT.Target t : JdbcTracingIT.targets()) {
            out.add(t.url().startsWith("jdbc:h2:")
                    ? new JdbcTracingIT.Target(t.label(), "jdbc:h2:mem:leak;DB_CLOSE_DELAY=-1", t.user(), t.password(),
                    t.pool(), t.libraries(), t.system(), t.namespace(), t.host(), t.port(), t.missingTableSqlState())
                    : t);
        }
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    void unclosedConnectionIsReportedWithItsStackAndClearsOnClose(JdbcTracingIT.Target target) throws Exception {
        requireReachable(target);
        int metricsPort = Scrape.freePort();
        String serviceName = "jdbc-leak-" + target.label().replace(' ', '-');
        try (ForkedJvm app = ForkedJvm.builder("dev.vigil.testapps.jdbc.JdbcLeakApp")
                .withAgent("otlp.endpoint=" + receiver.endpoint() + ",bsp.schedule.delay.ms=100,prometheus.port="
                        + metricsPort + ",service.name=" + serviceName + ",leak.connection.threshold.ms=1000"
                        + ",jdbc.bind.capture=slow_or_failed,jdbc.bind.slow.threshold.ms=200")
                .libraries(target.libraries())
                .args(target.url(), target.user(), target.password(), target.pool())
                .start()) {
            int port = app.awaitReadyPort();
            String gauge = "vigil_leak_suspected{kind=\"connection\",site=\"" + SITE + "\"}";
            if (target.pool().equals("hikari")) {
                // leak.connection.stacks=after_first_leak: a pool's connections are tracked without their stack until
                // a first leak, reported with the request's trace instead; every stack is recorded from then on
                String unknown = "vigil_leak_suspected{kind=\"connection\",site=\"unknown\"}";
                assertThat(get(port, "/leak")).isEqualTo("kept");
                await().atMost(Duration.ofSeconds(20)).until(() -> Scrape.value(Scrape.text(metricsPort), unknown) == 1.0);
                String first = app.awaitLine(l -> l.contains("WARN leak suspected (connection) at unknown"),
                        Duration.ofSeconds(10));
                ReceivedSpan leakRequest = await().atMost(Duration.ofSeconds(20)).until(() -> receiver.spans(s ->
                        serviceName.equals(s.resourceAttribute("service.name")) && s.kind() == Span.SpanKind.SPAN_KIND_SERVER
                                && "/leak".equals(s.stringAttribute("url.path"))),
                        l -> !l.isEmpty()).get(0);
                assertThat(first).contains(" in trace " + leakRequest.traceId() + " (span \"GET") // named before the route is known
                        .endsWith("its stack was not recorded (leak.connection.stacks=after_first_leak): connection"
                                + " stacks are recorded from now on");
                assertThat(get(port, "/release")).isEqualTo("released=1");
                await().atMost(Duration.ofSeconds(20)).until(() -> Scrape.value(Scrape.text(metricsPort), unknown) == 0.0);
            }

            assertThat(get(port, "/leak")).isEqualTo("kept");
            String metrics = await().atMost(Duration.ofSeconds(20)).until(() -> Scrape.text(metricsPort),
                    body -> Scrape.value(body, gauge) == 1.0);
            assertThat(metrics).contains("# TYPE vigil_leak_suspected gauge");
            // nothing else is suspected: the pool's own physical connections are not the application's leaks
            assertThat(metrics.lines().filter(l -> l.startsWith("vigil_leak_suspected{")).filter(l -> !l.endsWith(" 0.0")))
                    .containsExactly(gauge + " 1.0");

            String json = get(metricsPort, "/vigil/leaks");
            assertThat(json).startsWith("{\"suspects\":[{\"kind\":\"connection\",\"site\":\"" + SITE + "\"")
                    .contains("\"stack\":[").contains(SITE + "(JdbcLeakApp.java:");
            assertThat(json.split("\"kind\":", -1)).hasSize(2); // exactly one suspect

            String warning = app.awaitLine(l -> l.contains("WARN leak suspected (connection) at " + SITE),
                    Duration.ofSeconds(10));
            assertThat(warning).contains("not closed (threshold 1000 ms)");
            List<String> lines = app.lines();
            int at = lines.indexOf(warning);
            assertThat(lines.subList(at + 1, Math.min(lines.size(), at + 41)))
                    .anySatisfy(l -> assertThat(l).startsWith("\tat " + SITE + "(JdbcLeakApp.java:"));

            assertThat(get(port, "/release")).isEqualTo("released=1");
            await().atMost(Duration.ofSeconds(20)).until(() -> Scrape.value(Scrape.text(metricsPort), gauge) == 0.0);
            assertThat(app.awaitLine(l -> l.contains("leak cleared (connection) at " + SITE + ": returned after "),
                    Duration.ofSeconds(10))).matches(".*returned after \\d+ s$");
            assertThat(get(metricsPort, "/vigil/leaks")).isEqualTo("{\"suspects\":[]}");

            // bind values: on the slow statement, not on the fast one, redacted where secret, and on the failure
            ReceivedSpan slow = onlyDbSpanUnder(serviceName, port, "/slow");
            assertThat(slow.stringAttribute("db.query.parameter.0")).isEqualTo("1");
            assertThat(slow.stringAttribute("db.query.parameter.1")).isEqualTo("<redacted>"); // a JWT
            assertThat(slow.stringAttribute("db.query.parameter.2")).isEqualTo("0.4");
            ReceivedSpan fast = onlyDbSpanUnder(serviceName, port, "/fast");
            assertThat(fast.span().getAttributesList()).noneMatch(a -> a.getKey().startsWith("db.query.parameter."));
            ReceivedSpan failed = onlyDbSpanUnder(serviceName, port, "/fail-bind");
            assertThat(failed.stringAttribute("db.query.parameter.0")).isEqualTo("alice");
            assertThat(failed.stringAttribute("db.query.parameter.1")).isEqualTo("<redacted>"); // password column
            for (ReceivedSpan span : receiver.spans(s -> serviceName.equals(s.resourceAttribute("service.name")))) {
                assertThat(span.span().toString()).as(span.name()).doesNotContain("hunter2").doesNotContain("eyJ");
            }
        }
    }

    private static String get(int port, String path) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    /** Calls {@code path} and returns the one database span under its server span. */
    private static ReceivedSpan onlyDbSpanUnder(String serviceName, int port, String path) throws Exception {
        get(port, path);
        ReceivedSpan server = await().atMost(Duration.ofSeconds(20)).until(() -> receiver.spans(s ->
                serviceName.equals(s.resourceAttribute("service.name")) && s.kind() == Span.SpanKind.SPAN_KIND_SERVER
                        && path.equals(s.stringAttribute("url.path"))), l -> !l.isEmpty()).get(0);
        List<ReceivedSpan> children = receiver.spans(s -> s.attribute("db.system.name").isPresent()
                && s.traceId().equals(server.traceId()));
        assertThat(children).as("database spans of %s", path).hasSize(1);
        return children.get(0);
    }

    private static void requireReachable(JdbcTracingIT.Target target) {
        if (target.host() == null) {
            return;
        }
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(target.host(), target.port().intValue()), 3000);
        } catch (IOException e) {
            fail("-Pservices: " + target.system() + " is not reachable at " + target.host() + ":" + target.port()
                    + " (" + e + ")");
        }
    }
}
