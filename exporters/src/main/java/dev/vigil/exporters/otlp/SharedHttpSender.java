package dev.vigil.exporters.otlp;

import io.opentelemetry.common.ComponentLoader;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.export.Compressor;
import io.opentelemetry.sdk.common.export.HttpResponse;
import io.opentelemetry.sdk.common.export.HttpSender;
import io.opentelemetry.sdk.common.export.HttpSenderConfig;
import io.opentelemetry.sdk.common.export.HttpSenderProvider;
import io.opentelemetry.sdk.common.export.MessageWriter;
import io.opentelemetry.sdk.common.export.RetryPolicy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The OTLP exporters' HTTP sender (OpenTelemetry's public sender SPI) on one JDK {@link HttpClient} shared by span
 * and metric export. The client's executor is the agent's scheduler, so the only thread the client adds is its
 * selector; a request is sent with {@code sendAsync} and completes on the scheduler, which never blocks or sleeps.
 *
 * <p>Per export: the message is written into one byte array (gzip when the exporter asks for compression), the
 * headers come from the exporter's supplier, and a retryable failure (HTTP 429, 502, 503, 504, or a connect
 * failure) is retried as the exporter's {@link RetryPolicy} says, with jittered exponential backoff scheduled on
 * the scheduler, and never past the export's timeout: an export completes (success or failure) within it.
 *
 * <p>One hop is the JDK's, not ours: {@code HttpClient.sendAsync} completes its future through the
 * {@code CompletableFuture} default executor (an empty stage, so that callers' dependent actions never run on the
 * selector thread). That is the common {@code ForkJoinPool} on hosts with more than two cores — a worker the
 * application often has already — and a short-lived thread per request on smaller ones. Our callbacks are moved
 * back to the scheduler. Avoiding the hop entirely would need the blocking {@code send()}, i.e. a thread to block.
 */
public final class SharedHttpSender implements HttpSender {
    private final HttpClient client;
    private final ScheduledExecutorService scheduler;
    private final HttpSenderConfig config;
    private final RetryPolicy retry;
    private final Predicate<IOException> retryableException;

    SharedHttpSender(HttpClient client, ScheduledExecutorService scheduler, HttpSenderConfig config) {
        this.client = client;
        this.scheduler = scheduler;
        this.config = config;
        this.retry = config.getRetryPolicy();
        this.retryableException = retry != null && retry.getRetryExceptionPredicate() != null
                ? retry.getRetryExceptionPredicate() : SharedHttpSender::isConnectFailure;
    }

    /** The client every exporter shares: its completions run on {@code scheduler}. */
    public static HttpClient client(ScheduledExecutorService scheduler, Duration connectTimeout) {
        return HttpClient.newBuilder().executor(scheduler).connectTimeout(connectTimeout).build();
    }

    /**
     * What the exporter builders' {@code setComponentLoader} takes: it answers the sender lookup with a provider of
     * this sender (no ServiceLoader scan) and delegates every other lookup to the exporters' class loader.
     */
    public static ComponentLoader componentLoader(HttpClient client, ScheduledExecutorService scheduler) {
        HttpSenderProvider provider = config -> new SharedHttpSender(client, scheduler, config);
        ComponentLoader others = ComponentLoader.forClassLoader(SharedHttpSender.class.getClassLoader());
        return new ComponentLoader() {
            @Override
            @SuppressWarnings("unchecked")
            public <T> Iterable<T> load(Class<T> type) {
                return type == HttpSenderProvider.class ? List.of((T) provider) : others.load(type);
            }
        };
    }

    @Override
    public void send(MessageWriter writer, Consumer<HttpResponse> onResponse, Consumer<Throwable> onError) {
        HttpRequest request;
        try {
            request = request(writer);
        } catch (IOException | RuntimeException e) {
            onError.accept(e);
            return;
        }
        long deadline = System.nanoTime() + config.getTimeout().toNanos();
        attempt(request, 1, deadline, onResponse, onError);
    }

    private HttpRequest request(MessageWriter writer) throws IOException {
        Body bytes = new Body(Math.max(32, writer.getContentLength()));
        Compressor compressor = config.getCompressor();
        if (compressor == null) {
            writer.writeMessage(bytes);
        } else {
            try (OutputStream compressed = compressor.compress(bytes)) {
                writer.writeMessage(compressed);
            }
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(config.getEndpoint())
                .timeout(config.getTimeout())
                .header("Content-Type", config.getContentType())
                .POST(bytes.publisher());
        if (compressor != null) {
            request.header("Content-Encoding", compressor.getEncoding());
        }
        Supplier<Map<String, List<String>>> headers = config.getHeadersSupplier();
        Map<String, List<String>> values = headers == null ? null : headers.get();
        if (values != null) {
            values.forEach((name, list) -> list.forEach(value -> request.header(name, value)));
        }
        return request.build();
    }

    private void attempt(HttpRequest request, int attempt, long deadline, Consumer<HttpResponse> onResponse,
                         Consumer<Throwable> onError) {
        long remaining = deadline - System.nanoTime();
        HttpRequest timed = attempt == 1 ? request
                : HttpRequest.newBuilder(request, (n, v) -> true).timeout(Duration.ofNanos(Math.max(1_000_000, remaining))).build();
        // whenCompleteAsync on the scheduler: the JDK hands sendAsync's result to the common pool first (see class doc)
        client.sendAsync(timed, java.net.http.HttpResponse.BodyHandlers.ofByteArray()).whenCompleteAsync((response, failure) -> {
            try {
                if (failure != null) {
                    Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                            ? failure.getCause() : failure;
                    if (!(cause instanceof IOException && retryableException.test((IOException) cause)
                            && retryLater(request, attempt, deadline, onResponse, onError))) {
                        onError.accept(cause);
                    }
                } else if (!(isRetryable(response.statusCode())
                        && retryLater(request, attempt, deadline, onResponse, onError))) {
                    onResponse.accept(response(response));
                }
            } catch (RuntimeException e) {
                onError.accept(e);
            }
        }, scheduler);
    }

    /** Schedules the next attempt if the policy and the deadline allow one; false when the result stands. */
    private boolean retryLater(HttpRequest request, int attempt, long deadline, Consumer<HttpResponse> onResponse,
                               Consumer<Throwable> onError) {
        if (retry == null || attempt >= retry.getMaxAttempts()) {
            return false;
        }
        long backoffNanos = backoffNanos(retry, attempt);
        if (System.nanoTime() + backoffNanos >= deadline) {
            return false;
        }
        scheduler.schedule(() -> attempt(request, attempt + 1, deadline, onResponse, onError), backoffNanos,
                TimeUnit.NANOSECONDS);
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

    static boolean isConnectFailure(IOException e) {
        return e instanceof ConnectException || e instanceof HttpConnectTimeoutException;
    }

    private static HttpResponse response(java.net.http.HttpResponse<byte[]> response) {
        byte[] body = response.body() == null ? new byte[0] : response.body();
        return new HttpResponse() {
            @Override
            public int getStatusCode() {
                return response.statusCode();
            }

            @Override
            public String getStatusMessage() {
                return String.valueOf(response.statusCode());
            }

            @Override
            public byte[] getResponseBody() {
                return body;
            }
        };
    }

    /** The message, written once and handed to the client without a second copy ({@code toByteArray} would make one). */
    private static final class Body extends ByteArrayOutputStream {
        Body(int size) {
            super(size);
        }

        HttpRequest.BodyPublisher publisher() {
            return HttpRequest.BodyPublishers.ofByteArray(buf, 0, count);
        }
    }

    /** The client is shared and lives as long as the agent: nothing to close per exporter. */
    @Override
    public CompletableResultCode shutdown() {
        return CompletableResultCode.ofSuccess();
    }
}
