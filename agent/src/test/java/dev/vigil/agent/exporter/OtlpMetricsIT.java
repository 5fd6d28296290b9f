package dev.vigil.agent.exporter;

import dev.vigil.testing.ForkedJvm;
import dev.vigil.testing.OtlpReceiver;
import dev.vigil.testing.OtlpReceiver.ReceivedMetric;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Metrics pushed over OTLP carry the semantic-convention names, buckets and the service's resource. */
class OtlpMetricsIT {
    @Test
    void httpServerDurationHistogramAndSelfTelemetryArePushed() throws Exception {
        try (OtlpReceiver receiver = new OtlpReceiver();
             ForkedJvm app = ForkedJvm.builder("dev.vigil.testapps.JdkHttpServerApp")
                     .withAgent("otlp.endpoint=" + receiver.endpoint() + ",metrics.export.interval.ms=1000,"
                             + "prometheus.port=0,service.name=metrics-app")
                     .start()) {
            int port = app.awaitReadyPort();
            HttpClient client = HttpClient.newHttpClient();
            for (int i = 0; i < 4; i++) {
                client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/items")).build(),
                        HttpResponse.BodyHandlers.discarding());
            }
            ReceivedMetric duration = await().atMost(Duration.ofSeconds(20)).until(
                    () -> receiver.metrics("http.server.request.duration").stream()
                            .filter(m -> m.metric().getHistogram().getDataPointsList().stream()
                                    .anyMatch(p -> p.getCount() == 4)).findFirst().orElse(null),
                    m -> m != null);
            assertThat(duration.metric().getUnit()).isEqualTo("s");
            assertThat(duration.resourceAttribute("service.name")).isEqualTo("metrics-app");
            assertThat(duration.metric().getHistogram().getAggregationTemporality())
                    .isEqualTo(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE);
            HistogramDataPoint point = duration.metric().getHistogram().getDataPoints(0);
            assertThat(point.getExplicitBoundsList()).startsWith(0.005, 0.01, 0.025).endsWith(10.0);
            assertThat(point.getBucketCountsList()).hasSize(point.getExplicitBoundsCount() + 1);
            assertThat(point.getBucketCountsList().stream().mapToLong(Long::longValue).sum()).isEqualTo(4);
            assertThat(point.getSum()).isPositive();
            List<String> keys = point.getAttributesList().stream().map(KeyValue::getKey).toList();
            assertThat(keys).contains("http.request.method", "http.route", "http.response.status_code")
                    .doesNotContain("error.type"); // empty tag values are left out
            assertThat(receiver.metrics("vigil.agent.advice.errors")).isNotEmpty();
        }
    }

    /** With the default one-minute interval the first push still comes seconds after start (at most 10 s). */
    @Test
    void firstPushComesSoonAfterStartWithTheDefaultInterval() throws Exception {
        try (OtlpReceiver receiver = new OtlpReceiver();
             ForkedJvm app = ForkedJvm.builder("dev.vigil.testapps.JdkHttpServerApp")
                     .withAgent("otlp.endpoint=" + receiver.endpoint() + ",prometheus.port=0,service.name=early-push")
                     .start()) {
            app.awaitReadyPort();
            // the interval's own first push would come after 60 s
            await().atMost(Duration.ofSeconds(25)).until(() -> !receiver.metrics("vigil.agent.advice.errors").isEmpty());
            assertThat(receiver.metrics("vigil.agent.advice.errors").get(0).resourceAttribute("service.name"))
                    .isEqualTo("early-push");
        }
    }
}
