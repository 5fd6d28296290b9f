package dev.vigil.exporters.otlp;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.export.Compressor;
import io.opentelemetry.sdk.common.export.HttpResponse;
import io.opentelemetry.sdk.common.export.HttpSender;
import io.opentelemetry.sdk.common.export.HttpSenderConfig;
import io.opentelemetry.sdk.common.export.MessageWriter;
import io.opentelemetry.sdk.common.export.RetryPolicy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The OTLP exporters' HTTP sender (OpenTelemetry's public sender SPI), shared by span and metric export; the bytes
 * travel over an {@link HttpTransport} chosen per endpoint by {@link HttpTransports} (for {@code http://}, a
 * non-blocking client polled by the agent's scheduler, with no thread of its own).
 *
 * <p>Per export: the message is written into one byte array (gzip when the exporter asks for compression), the
 * headers come from the exporter's supplier, and a retryable failure (HTTP 429, 502, 503, 504, or a connect
 * failure) is retried as the exporter's {@link RetryPolicy} says, with jittered exponential backoff scheduled on
 * the scheduler, and never past the export's timeout: an export completes (success or failure) within it. The
 * completion callbacks run on the scheduler thread, which never blocks or sleeps.
 */
public final class SharedHttpSender implements HttpSender {
    /** Headers a transport writes itself (the JDK HttpClient refuses them): left out of the exporter's. */
    /** Larger bodies are not kept for reuse: an occasional huge export must not pin its array. */
    private static final int MAX_SPARE_BODY = 4 << 20;
    private static final Set<String> OWN_HEADERS = Set.of("host", "content-length", "content-type",
            "content-encoding", "connection", "transfer-encoding", "expect", "upgrade", "keep-alive", "te");

    private final HttpTransport transport;
    private final ScheduledExecutorService scheduler;
    private final HttpSenderConfig config;
    private final RetryPolicy retry;
    private final Predicate<IOException> retryableException;
    /** The body array of the last completed export, reused by the next one (see {@link #release}). */
    private final AtomicReference<byte[]> spareBody = new AtomicReference<>();

    SharedHttpSender(HttpTransport transport, ScheduledExecutorService scheduler, HttpSenderConfig config) {
        this.transport = transport;
        this.scheduler = scheduler;
        this.config = config;
        this.retry = config.getRetryPolicy();
        this.retryableException = retry != null && retry.getRetryExceptionPredicate() != null
                ? retry.getRetryExceptionPredicate() : SharedHttpSender::isConnectFailure;
    }

    @Override
    public void send(MessageWriter writer, Consumer<HttpResponse> onResponse, Consumer<Throwable> onError) {
        OtlpRequest request;
        try {
            request = request(writer);
        } catch (IOException | RuntimeException e) {
            onError.accept(e);
            return;
        }
        long deadline = System.nanoTime() + config.getTimeout().toNanos();
        if (transport.releasesBodyOnCompletion()) {
            byte[] body = request.body();
            attempt(request, 1, deadline, response -> {
                release(body);
                onResponse.accept(response);
            }, failure -> {
                release(body);
                onError.accept(failure);
            });
        } else {
            attempt(request, 1, deadline, onResponse, onError);
        }
    }

    /** The next export's body goes into this array when it is large enough (one export's array kept, not one per). */
    private void release(byte[] body) {
        if (body.length <= MAX_SPARE_BODY) {
            spareBody.set(body);
        }
    }

    private OtlpRequest request(MessageWriter writer) throws IOException {
        int size = Math.max(32, writer.getContentLength());
        byte[] spare = spareBody.getAndSet(null);
        Body bytes = spare != null && spare.length >= size ? new Body(spare) : new Body(size);
        Compressor compressor = config.getCompressor();
        if (compressor == null) {
            writer.writeMessage(bytes);
        } else {
            try (OutputStream compressed = compressor.compress(bytes)) {
                writer.writeMessage(compressed);
            }
        }
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        headers.add(Map.entry("Content-Type", config.getContentType()));
        if (compressor != null) {
            headers.add(Map.entry("Content-Encoding", compressor.getEncoding()));
        }
        Supplier<Map<String, List<String>>> supplier = config.getHeadersSupplier();
        Map<String, List<String>> values = supplier == null ? null : supplier.get();
        if (values != null) {
            values.forEach((name, list) -> {
                if (!OWN_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                    list.forEach(value -> headers.add(Map.entry(checked(name), checked(value))));
                }
            });
        }
        return new OtlpRequest(config.getEndpoint(), headers, bytes.array(), bytes.size(), config.getMaxResponseBodySize());
    }

    private static String checked(String token) {
        if (token.indexOf('\r') >= 0 || token.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("line break in an OTLP header name or value");
        }
        return token;
    }

    private void attempt(OtlpRequest request, int attempt, long deadline, Consumer<HttpResponse> onResponse,
                         Consumer<Throwable> onError) {
        transport.send(request, deadline, response -> {
            try {
                if (!(isRetryable(response.getStatusCode())
                        && retryLater(request, attempt, deadline, onResponse, onError))) {
                    onResponse.accept(response);
                }
            } catch (RuntimeException e) {
                onError.accept(e);
            }
        }, failure -> {
            try {
                if (!(failure instanceof IOException && retryableException.test((IOException) failure)
                        && retryLater(request, attempt, deadline, onResponse, onError))) {
                    onError.accept(failure);
                }
            } catch (RuntimeException e) {
                onError.accept(e);
            }
        });
    }

    /** Schedules the next attempt if the policy and the deadline allow one; false when the result stands. */
    private boolean retryLater(OtlpRequest request, int attempt, long deadline, Consumer<HttpResponse> onResponse,
                               Consumer<Throwable> onError) {
        if (retry == null || attempt >= retry.getMaxAttempts()) {
            return false;
        }
        long backoffNanos = backoffNanos(retry, attempt);
        if (System.nanoTime() + backoffNanos >= deadline) {
            return false;
        }
        try {
            scheduler.schedule(() -> attempt(request, attempt + 1, deadline, onResponse, onError), backoffNanos,
                    TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            return false; // the agent is stopping: the result so far stands
        }
        return true;
    }

    /** Jittered exponential backoff before attempt {@code attempt + 1} (OpenTelemetry's formula). */
    static long backoffNanos(RetryPolicy policy, int attempt) {
        double ceiling = Math.min(policy.getInitialBackoff().toNanos() * Math.pow(policy.getBackoffMultiplier(), attempt - 1),
                policy.getMaxBackoff().toNanos());
        return (long) (ThreadLocalRandom.current().nextDouble() * ceiling);
    }

    static boolean isRetryable(int status) {
        return status == 429 || status == 502 || status == 503 || status == 504;
    }

    /** A connect failure: refused, unresolved host, timed out (every transport reports these as ConnectException). */
    static boolean isConnectFailure(IOException e) {
        return e instanceof ConnectException;
    }

    /** The message, written once and handed to the transport without a second copy ({@code toByteArray} would make one). */
    private static final class Body extends ByteArrayOutputStream {
        Body(int size) {
            super(size);
        }

        /** Writes into {@code reused} (grown like any other buffer if the message turns out longer). */
        Body(byte[] reused) {
            super(0);
            buf = reused;
        }

        byte[] array() {
            return buf;
        }
    }

    /** The transports are shared and live as long as the agent ({@link HttpTransports#close()}): nothing per exporter. */
    @Override
    public CompletableResultCode shutdown() {
        return CompletableResultCode.ofSuccess();
    }
}
