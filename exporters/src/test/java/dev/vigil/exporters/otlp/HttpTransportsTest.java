package dev.vigil.exporters.otlp;

import dev.vigil.exporters.AgentScheduler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** Which transport an endpoint gets: the polled one for http://, one shared JDK client for https://. */
class HttpTransportsTest {
    private final AgentScheduler scheduler = new AgentScheduler(r -> new Thread(r, "test-agent-1"));
    private final HttpTransports transports = new HttpTransports(scheduler);

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
    }

    private HttpTransport forEndpoint(String url) {
        return transports.forConfig(SharedHttpSenderTest.config(URI.create(url), Duration.ofSeconds(1), null));
    }

    @Test
    void plainHttpIsPolledAndShared() {
        HttpTransport traces = forEndpoint("http://collector:4318/v1/traces");
        assertThat(traces).isInstanceOf(NioHttpTransport.class);
        assertThat(forEndpoint("HTTP://collector:4318/v1/metrics")).isSameAs(traces);
    }

    @Test
    void httpsGetsOneSharedJdkClient() {
        HttpTransport traces = forEndpoint("https://collector:4318/v1/traces");
        assertThat(traces).isInstanceOf(JdkTransport.class);
        assertThat(forEndpoint("https://collector:4318/v1/metrics")).isSameAs(traces);
    }
}
