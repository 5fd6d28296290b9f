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
 * JDBC spans and {@code db.client.operation.duration}, one test run over every database and access path: H2
 * embedded in the default build (plain JDBC and through HikariCP, whose proxies delegate to the driver: still one
 * span per call), PostgreSQL and MariaDB with {@code -Pservices}, which fails, never skips, when a service is not
 * reachable. Each JDBC call runs inside an HTTP request, so its span must be the server span's child.
 */
class JdbcTracingIT {
    static final HttpClient CLIENT = HttpClient.newHttpClient();
    static OtlpReceiver receiver;

    record Target(String label, String url, String user, String password, String pool, String[] libraries,
                  String system, String namespace, String host, Long port, String missingTableSqlState) {
        @Override
        public String toString() {
            return label;
        }
    }

    static List<Target> targets() {
        String[] h2 = {"h2"};
        String[] h2Hikari = {"h2", "HikariCP", "slf4j-api"};
        List<Target> out = new ArrayList<>(List.of(
                new Target("h2 plain", "jdbc:h2:mem:shop;DB_CLOSE_DELAY=-1", "sa", "-", "plain", h2,
                        "h2database", "shop", null, null, "42S02"),
                new Target("h2 hikari", "jdbc:h2:mem:shop;DB_CLOSE_DELAY=-1", "sa", "-", "hikari", h2Hikari,
                        "h2database", "shop", null, null, "42S02")));
        if (Boolean.getBoolean("it.services")) {
            String[] pg = {"postgresql", "checker-qual"};
            String[] pgHikari = {"postgresql", "checker-qual", "HikariCP", "slf4j-api"};
            String[] maria = {"mariadb-java-client"};
            String[] mariaHikari = {"mariadb-java-client", "HikariCP", "slf4j-api"};
            String pgUrl = "jdbc:postgresql://127.0.0.1:5432/test";
            String mariaUrl = "jdbc:mariadb://127.0.0.1:3306/test";
            out.add(new Target("postgresql plain", pgUrl, "postgres", "-", "plain", pg, "postgresql", "test",
                    "127.0.0.1", 5432L, "42P01"));
            out.add(new Target("postgresql hikari", pgUrl, "postgres", "-", "hikari", pgHikari, "postgresql", "test",
                    "127.0.0.1", 5432L, "42P01"));
            out.add(new Target("mariadb plain", mariaUrl, "root", "-", "plain", maria, "mariadb", "test",
                    "127.0.0.1", 3306L, "42S02"));
            out.add(new Target("mariadb hikari", mariaUrl, "root", "-", "hikari", mariaHikari, "mariadb", "test",
                    "127.0.0.1", 3306L, "42S02"));
        }
        return out;
    }

    @BeforeAll
    static void start() throws IOException {
        receiver = new OtlpReceiver();
    }

    @AfterAll
    static void stop() {
        receiver.close();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    void everyJdbcCallIsOneSanitizedClientSpanUnderTheRequest(Target target) throws Exception {
        if (target.host() != null) {
            requireReachable(target);
        }
        int metricsPort = Scrape.freePort();
        String serviceName = "jdbc-" + target.label().replace(' ', '-');
        try (ForkedJvm app = ForkedJvm.builder("dev.vigil.testapps.jdbc.JdbcApp")
                .withAgent("otlp.endpoint=" + receiver.endpoint() + ",bsp.schedule.delay.ms=100,prometheus.port="
                        + metricsPort + ",service.name=" + serviceName)
                .libraries(target.libraries())
                .args(target.url(), target.user(), target.password(), target.pool())
                .start()) {
            int port = app.awaitReadyPort();

            ReceivedSpan select = onlyDbSpanUnder(serviceName, port, "/statement", 200);
            assertCommon(select, target);
            assertThat(select.name()).isEqualTo("SELECT vigil_orders");
            assertThat(select.stringAttribute("db.query.text"))
                    .isEqualTo("SELECT id, note FROM vigil_orders WHERE note = ? OR id = ?");
            assertThat(select.stringAttribute("db.operation.name")).isEqualTo("SELECT");
            assertThat(select.stringAttribute("db.collection.name")).isEqualTo("vigil_orders");
            assertThat(select.stringAttribute("db.query.summary")).isEqualTo("SELECT vigil_orders");

            ReceivedSpan insert = onlyDbSpanUnder(serviceName, port, "/prepared", 200);
            assertCommon(insert, target);
            assertThat(insert.name()).isEqualTo("INSERT vigil_orders");
            assertThat(insert.stringAttribute("db.query.text")).isEqualTo("INSERT INTO vigil_orders (id, note) VALUES (?, ?)");
            assertThat(insert.attribute("db.operation.batch.size")).isEmpty();

            ReceivedSpan batch = onlyDbSpanUnder(serviceName, port, "/batch", 200);
            assertCommon(batch, target);
            assertThat(batch.name()).isEqualTo("BATCH INSERT vigil_order_items");
            assertThat(batch.stringAttribute("db.operation.name")).isEqualTo("BATCH INSERT");
            assertThat(batch.longAttribute("db.operation.batch.size")).isEqualTo(3L);
            assertThat(batch.stringAttribute("db.query.text"))
                    .isEqualTo("INSERT INTO vigil_order_items (order_id, qty) VALUES (?, ?)");

            ReceivedSpan statementBatch = onlyDbSpanUnder(serviceName, port, "/statement-batch", 200);
            assertCommon(statementBatch, target);
            assertThat(statementBatch.name()).isEqualTo("BATCH INSERT vigil_order_items");
            assertThat(statementBatch.longAttribute("db.operation.batch.size")).isEqualTo(2L);
            assertThat(statementBatch.stringAttribute("db.query.text"))
                    .isEqualTo("INSERT INTO vigil_order_items (order_id, qty) VALUES (?, ?)");

            ReceivedSpan failed = onlyDbSpanUnder(serviceName, port, "/fail", 500);
            assertCommon(failed, target);
            assertThat(failed.span().getStatus().getCode()).isEqualTo(io.opentelemetry.proto.trace.v1.Status.StatusCode.STATUS_CODE_ERROR);
            assertThat(failed.stringAttribute("error.type")).endsWith("Exception").contains(".");
            assertThat(failed.stringAttribute("db.response.status_code")).isEqualTo(target.missingTableSqlState());
            assertThat(failed.name()).isEqualTo("SELECT vigil_missing_table");

            // nothing the app wrote as a literal or bind value reaches the collector, in any span of this app
            for (ReceivedSpan span : receiver.spans(s -> serviceName.equals(s.resourceAttribute("service.name")))) {
                assertThat(span.span().toString()).as(span.name()).doesNotContain("secret").doesNotContain("900000")
                        .doesNotContain("777001");
            }

            String metrics = await().atMost(Duration.ofSeconds(20)).until(() -> Scrape.text(metricsPort),
                    body -> count(body, target.system(), "SELECT", "vigil_orders", "") >= 1
                            && count(body, target.system(), "BATCH INSERT", "vigil_order_items", "") >= 2
                            && count(body, target.system(), "SELECT", "vigil_missing_table",
                            failed.stringAttribute("error.type")) >= 1);
            assertThat(metrics).contains("# TYPE db_client_operation_duration_seconds histogram");
            assertThat(metrics).containsPattern("db_client_operation_duration_seconds_bucket\\{[^}]*le=\"0\\.001\"");
            assertThat(metrics).containsPattern("db_client_operation_duration_seconds_bucket\\{[^}]*le=\"10\\.0\"");
            assertThat(metrics).doesNotContain("secret");
            if (target.pool().equals("hikari")) { // pool gauges with no configuration in the app
                String pool = "db_client_connection_pool_name=\"vigil-test\"";
                assertThat(Scrape.value(metrics, "db_client_connection_max{" + pool + "}")).isEqualTo(2.0);
                assertThat(Scrape.value(metrics, "db_client_connection_pending_requests{" + pool + "}")).isEqualTo(0.0);
                double used = Scrape.value(metrics, "db_client_connection_count{" + pool + ",db_client_connection_state=\"used\"}");
                double idle = Scrape.value(metrics, "db_client_connection_count{" + pool + ",db_client_connection_state=\"idle\"}");
                assertThat(used).isEqualTo(0.0); // every request has returned its connection
                assertThat(idle).isBetween(1.0, 2.0);
            }
        }
    }

    private static void assertCommon(ReceivedSpan span, Target target) {
        assertThat(span.kind()).isEqualTo(Span.SpanKind.SPAN_KIND_CLIENT);
        assertThat(span.stringAttribute("db.system.name")).isEqualTo(target.system());
        assertThat(span.stringAttribute("db.namespace")).isEqualTo(target.namespace());
        assertThat(span.stringAttribute("server.address")).isEqualTo(target.host());
        assertThat(span.longAttribute("server.port")).isEqualTo(target.port());
    }

    /**
     * Calls {@code path} and returns the one database span under its server span. The database span ends before
     * the server span, so once the server span has arrived, every child has too.
     */
    private static ReceivedSpan onlyDbSpanUnder(String serviceName, int port, String path, int status) throws Exception {
        HttpResponse<String> response = CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        ReceivedSpan server = await().atMost(Duration.ofSeconds(20)).until(() -> receiver.spans(s ->
                serviceName.equals(s.resourceAttribute("service.name")) && s.kind() == Span.SpanKind.SPAN_KIND_SERVER
                        && path.equals(s.stringAttribute("url.path"))), l -> !l.isEmpty()).get(0);
        List<ReceivedSpan> children = receiver.spans(s -> s.attribute("db.system.name").isPresent()
                && s.traceId().equals(server.traceId()));
        assertThat(children).as("database spans of %s", path).hasSize(1);
        assertThat(children.get(0).parentSpanId()).isEqualTo(server.spanId());
        return children.get(0);
    }

    private static double count(String body, String system, String operation, String collection, String errorType) {
        return Scrape.sum(body, "db_client_operation_duration_seconds_count{", "db_system_name=\"" + system + "\"",
                "db_operation_name=\"" + operation + "\"", "db_collection_name=\"" + collection + "\"",
                "error_type=\"" + errorType + "\"");
    }

    private static void requireReachable(Target target) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(target.host(), target.port().intValue()), 3000);
        } catch (IOException e) {
            fail("-Pservices: " + target.system() + " is not reachable at " + target.host() + ":" + target.port()
                    + " (" + e + "). Start the service (see BRIEF: PostgreSQL 5432 db test user postgres, MariaDB 3306"
                    + " root db test) or build without -Pservices.");
        }
    }
}
