package dev.vigil.agent.http;

import dev.vigil.bridge.AgentThread;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.ref.WeakReference;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.URL;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static dev.vigil.agent.http.HttpUrlConnectionTelemetry.CONNECT;
import static dev.vigil.agent.http.HttpUrlConnectionTelemetry.GET_INPUT_STREAM;
import static dev.vigil.agent.http.HttpUrlConnectionTelemetry.GET_OUTPUT_STREAM;
import static dev.vigil.agent.http.HttpUrlConnectionTelemetry.GET_RESPONSE_CODE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class HttpUrlConnectionTelemetryTest {
    final RecordingClientHook client = new RecordingClientHook();
    final HttpUrlConnectionTelemetry telemetry = new HttpUrlConnectionTelemetry(client, FakeConnection.class);

    /** Behaves like the JDK connection where it matters: properties refused once connected, cached status. */
    static final class FakeConnection extends HttpURLConnection {
        final Map<String, String> properties = new HashMap<>();
        int status = -1;
        IOException statusFailure;

        FakeConnection(String url) throws IOException {
            super(new URL(url));
        }

        @Override
        public void setRequestProperty(String key, String value) {
            if (connected) {
                throw new IllegalStateException("Already connected");
            }
            properties.put(key, value);
        }

        @Override
        public int getResponseCode() throws IOException {
            if (statusFailure != null) {
                throw statusFailure;
            }
            return status;
        }

        @Override
        public void connect() {
            connected = true;
        }

        @Override
        public void disconnect() {
        }

        @Override
        public boolean usingProxy() {
            return false;
        }
    }

    @Test
    void theFirstCallStartsTheSpanAndSetsThePropagationHeadersLaterCallsReuseIt() throws Exception {
        FakeConnection c = new FakeConnection("http://example.com:8080/a?token=x");
        c.setRequestMethod("POST");

        Object handle = telemetry.enter(c);
        telemetry.exit(handle, c, CONNECT, -1, null);
        Object again = telemetry.enter(c);
        telemetry.exit(again, c, GET_OUTPUT_STREAM, -1, null);

        assertThat(handle).isNotNull().isSameAs(again);
        assertThat(client.started).containsExactly("POST http://example.com:8080/a?token=x");
        assertThat(c.properties).containsEntry("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")
                .containsEntry("baggage", "k=v");
        assertThat(client.ended).as("no response yet").isEmpty();
    }

    @Test
    void theResponseCodeEndsTheSpanOnceAndLaterCallsStartNothing() throws Exception {
        FakeConnection c = new FakeConnection("http://example.com/");
        Object handle = telemetry.enter(c);
        telemetry.exit(handle, c, GET_RESPONSE_CODE, 404, null);

        assertThat(telemetry.enter(c)).as("after the span ended").isNull();
        telemetry.exit(handle, c, GET_RESPONSE_CODE, 404, null);

        assertThat(client.started).hasSize(1);
        assertThat(client.ended).containsExactly(new RecordingClientHook.Ended(handle, 404, null));
    }

    @Test
    void anInputStreamEndsTheSpanWithTheCachedStatus() throws Exception {
        FakeConnection c = new FakeConnection("http://example.com/");
        c.status = 200;
        Object handle = telemetry.enter(c);
        telemetry.exit(handle, c, GET_INPUT_STREAM, -1, null);

        assertThat(client.ended).containsExactly(new RecordingClientHook.Ended(handle, 200, null));
    }

    @Test
    void anHttpErrorThrownByGetInputStreamIsRecordedAsTheStatusNotAsAnException() throws Exception {
        FakeConnection c = new FakeConnection("http://example.com/");
        c.status = 503;
        Object handle = telemetry.enter(c);
        telemetry.exit(handle, c, GET_INPUT_STREAM, -1,
                new IOException("Server returned HTTP response code: 503 for URL: http://example.com/"));

        assertThat(client.ended).containsExactly(new RecordingClientHook.Ended(handle, 503, null));
    }

    @Test
    void aFailedRequestEndsTheSpanWithTheException() throws Exception {
        FakeConnection c = new FakeConnection("http://example.com/");
        ConnectException refused = new ConnectException("Connection refused");
        c.statusFailure = refused;
        Object handle = telemetry.enter(c);
        telemetry.exit(handle, c, GET_INPUT_STREAM, -1, refused);

        FakeConnection viaConnect = new FakeConnection("http://example.com/");
        Object other = telemetry.enter(viaConnect);
        telemetry.exit(other, viaConnect, CONNECT, -1, refused);

        FakeConnection viaResponseCode = new FakeConnection("http://example.com/");
        Object third = telemetry.enter(viaResponseCode);
        telemetry.exit(third, viaResponseCode, GET_RESPONSE_CODE, 0, refused);

        assertThat(client.ended).containsExactly(new RecordingClientHook.Ended(handle, -1, refused),
                new RecordingClientHook.Ended(other, -1, refused), new RecordingClientHook.Ended(third, -1, refused));
    }

    @Test
    void aConnectionAlreadyConnectedIsTracedWithoutHeaders() throws Exception {
        FakeConnection c = new FakeConnection("http://example.com/");
        c.connect();

        assertThat(telemetry.enter(c)).isNotNull();
        assertThat(c.properties).isEmpty();
    }

    @Test
    void otherImplementationsAndAgentThreadsAreNotTraced() throws Exception {
        HttpUrlConnectionTelemetry onlyOthers = new HttpUrlConnectionTelemetry(client, String.class);
        assertThat(onlyOthers.enter(new FakeConnection("http://example.com/"))).isNull();

        AtomicReference<Object> onAgentThread = new AtomicReference<>("not run");
        Thread agent = new AgentThread(() -> {
            try {
                onAgentThread.set(telemetry.enter(new FakeConnection("http://example.com/")));
            } catch (IOException e) {
                onAgentThread.set(e);
            }
        }, "vigil-test");
        agent.start();
        agent.join();

        assertThat(onAgentThread.get()).isNull();
        assertThat(client.started).isEmpty();
    }

    @Test
    void stateGoesAwayWithTheConnection() throws Exception {
        FakeConnection c = new FakeConnection("http://example.com/");
        telemetry.enter(c); // in flight, never finished: the application dropped it
        WeakReference<FakeConnection> ref = new WeakReference<>(c);
        c = null;
        assertThat(telemetry.tracked()).isEqualTo(1);

        await().atMost(Duration.ofSeconds(10)).until(() -> {
            System.gc();
            return ref.get() == null && telemetry.tracked() == 0;
        });
    }
}
