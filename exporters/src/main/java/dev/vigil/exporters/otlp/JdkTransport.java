package dev.vigil.exporters.otlp;

import io.opentelemetry.sdk.common.export.HttpResponse;

import javax.net.ssl.SSLContext;
import java.net.ConnectException;
import java.net.ProxySelector;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;

/**
 * The transport for {@code https://} collectors and configured proxies: a JDK {@link HttpClient} whose executor is
 * the agent's scheduler. It costs what the JDK client costs: its selector thread ({@code HttpClient-N-SelectorManager})
 * for as long as the agent runs, an {@code SSLContext} built with the client, and one hop per response through the
 * {@code CompletableFuture} default executor ({@code sendAsync} completes there, so that callers' dependent actions
 * never run on the selector thread: a common-pool worker on hosts with more than two cores, a short-lived thread
 * per request on smaller ones, and the common pool on JDK 25 whatever the size). Callbacks are moved back to the
 * scheduler. Hence only used where the polled transport cannot go.
 */
final class JdkTransport implements HttpTransport {
    private final HttpClient client;
    private final ScheduledExecutorService scheduler;

    JdkTransport(ScheduledExecutorService scheduler, Duration connectTimeout, ProxySelector proxy, SSLContext ssl) {
        HttpClient.Builder builder = HttpClient.newBuilder().executor(scheduler).connectTimeout(connectTimeout);
        if (proxy != null) {
            builder.proxy(proxy);
        }
        if (ssl != null) {
            builder.sslContext(ssl);
        }
        this.client = builder.build();
        this.scheduler = scheduler;
    }

    @Override
    public void send(OtlpRequest request, long deadlineNanos, Consumer<HttpResponse> onResponse,
                     Consumer<Throwable> onError) {
        long remaining = deadlineNanos - System.nanoTime();
        HttpRequest.Builder builder = HttpRequest.newBuilder(request.endpoint())
                .timeout(Duration.ofNanos(Math.max(1_000_000, remaining)))
                .POST(HttpRequest.BodyPublishers.ofByteArray(request.body(), 0, request.bodyLength()));
        for (Map.Entry<String, String> header : request.headers()) {
            builder.header(header.getKey(), header.getValue());
        }
        // whenCompleteAsync on the scheduler: the JDK hands sendAsync's result to the default executor first
        client.sendAsync(builder.build(), java.net.http.HttpResponse.BodyHandlers.ofByteArray())
                .whenCompleteAsync((response, failure) -> {
                    if (failure == null) {
                        byte[] body = response.body() == null ? new byte[0] : response.body();
                        onResponse.accept(new OtlpResponse(response.statusCode(), String.valueOf(response.statusCode()), body));
                        return;
                    }
                    Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                            ? failure.getCause() : failure;
                    if (cause instanceof HttpConnectTimeoutException) {
                        cause = new ConnectException(cause.getMessage()).initCause(cause);
                    }
                    onError.accept(cause);
                }, scheduler);
    }
}
