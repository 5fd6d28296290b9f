package dev.vigil.agent.http;

import org.junit.jupiter.api.Test;

import java.net.ConnectException;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

class ApacheAsyncClientTelemetryTest {
    final RecordingClientHook client = new RecordingClientHook();
    final ApacheAsyncClientTelemetry telemetry = new ApacheAsyncClientTelemetry(client);

    @Test
    void theFirstFutureCreatedInsideTheCallIsTheOneItsSpanIsTiedTo() {
        Object clientFuture = new Object();
        Object innerFuture = new Object();

        telemetry.begin();
        telemetry.futureCreated(clientFuture);
        telemetry.futureCreated(innerFuture);
        Object handle = telemetry.request("GET", "http://example.com/");
        telemetry.finish(null);

        assertThat(handle).isNotNull();
        assertThat(client.started).containsExactly("GET http://example.com/");
        assertThat(telemetry.detach(innerFuture)).isNull();
        assertThat(telemetry.detach(clientFuture)).isSameAs(handle);
        assertThat(telemetry.detach(clientFuture)).as("detached once").isNull();
        assertThat(telemetry.inFlight()).isZero();
        assertThat(client.ended).as("the advice ends the span after detach").isEmpty();
    }

    @Test
    void theFutureIsRegisteredBeforeTheRequestCanCompleteOnAnotherThread() throws Exception {
        Object future = new Object();
        telemetry.begin();
        telemetry.futureCreated(future);
        Object handle = telemetry.request("GET", "http://example.com/");

        AtomicReference<Object> seenByIoThread = new AtomicReference<>();
        Thread io = new Thread(() -> seenByIoThread.set(telemetry.detach(future)));
        io.start();
        io.join();
        telemetry.finish(null);

        assertThat(seenByIoThread.get()).isSameAs(handle);
    }

    @Test
    void requestsOutsideAClientCallOrSentTwiceStartNothing() {
        assertThat(telemetry.request("GET", "http://example.com/")).as("no doExecute on this thread").isNull();

        telemetry.begin();
        assertThat(telemetry.request("GET", "http://example.com/")).as("no future yet").isNull();
        telemetry.futureCreated(new Object());
        assertThat(telemetry.request("GET", "http://example.com/")).isNotNull();
        assertThat(telemetry.request("GET", "http://example.com/other")).as("one span per call").isNull();
        telemetry.finish(null);

        telemetry.futureCreated(new Object());
        assertThat(telemetry.request("GET", "http://example.com/")).as("after doExecute returned").isNull();
        assertThat(client.started).hasSize(1);
    }

    @Test
    void anExceptionThrownByDoExecuteEndsTheStartedSpan() {
        Object future = new Object();
        ConnectException error = new ConnectException("refused");
        telemetry.begin();
        telemetry.futureCreated(future);
        Object handle = telemetry.request("GET", "http://example.com/");
        telemetry.finish(error);

        assertThat(client.ended).containsExactly(new RecordingClientHook.Ended(handle, -1, error));
        assertThat(telemetry.detach(future)).as("a late completion ends nothing").isNull();
    }

    @Test
    void unrelatedFuturesAreIgnoredWithoutState() {
        assertThat(telemetry.detach(new Object())).isNull();
        telemetry.futureCreated(new Object());
        assertThat(telemetry.inFlight()).isZero();
    }
}
