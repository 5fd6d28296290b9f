package dev.vigil.agent.http;

import dev.vigil.agent.metrics.Buckets;
import dev.vigil.agent.metrics.MeterKey;
import dev.vigil.agent.metrics.MeterTable;
import dev.vigil.agent.util.BoxedLongs;
import dev.vigil.bridge.AgentThread;
import dev.vigil.bridge.HttpClientHook;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapPropagator;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

/**
 * Client spans, header injection and the {@code http.client.request.duration} histogram for every instrumented
 * HTTP client. The client span is not made current: nothing the client library does on the caller's thread
 * should become its child. Thread-safe.
 */
public final class HttpClientTelemetry extends HttpClientHook {
    private final Tracer tracer;
    private final TextMapPropagator propagator;
    private final MeterRegistry registry;
    private final CardinalityLimiter hosts = new CardinalityLimiter(200);
    private final MeterTable<Timer> timers = new MeterTable<>();

    static final class Call {
        final Span span;
        final Context context;
        final long startNanos;
        final String method;
        final String host;
        final int port;

        Call(Span span, Context context, long startNanos, String method, String host, int port) {
            this.span = span;
            this.context = context;
            this.startNanos = startNanos;
            this.method = method;
            this.host = host;
            this.port = port;
        }
    }

    public HttpClientTelemetry(Tracer tracer, TextMapPropagator propagator, MeterRegistry registry) {
        this.tracer = tracer;
        this.propagator = propagator;
        this.registry = registry;
    }

    @Override
    public Object start(String method, String url) {
        if (AgentThread.current()) {
            return null;
        }
        long startNanos = System.nanoTime();
        String normalized = HttpSemantics.method(method == null ? null : method.toUpperCase(Locale.ROOT));
        String host = null;
        int port = -1;
        try {
            URI uri = URI.create(url);
            host = uri.getHost();
            port = uri.getPort() > 0 ? uri.getPort() : defaultPort(uri.getScheme());
        } catch (RuntimeException badUrl) {
            // keep the span; server.address stays unset
        }
        Context parent = Context.current();
        var builder = tracer.spanBuilder(normalized.equals(HttpSemantics.OTHER_METHOD) ? "HTTP" : normalized)
                .setParent(parent)
                .setSpanKind(SpanKind.CLIENT)
                .setAttribute(HttpServerTelemetry.METHOD, normalized)
                .setAttribute(HttpServerTelemetry.URL_FULL, UrlRedaction.url(url));
        if (!normalized.equals(method) && method != null) {
            builder.setAttribute(HttpServerTelemetry.METHOD_ORIGINAL, method);
        }
        if (host != null) {
            builder.setAttribute(HttpServerTelemetry.SERVER_ADDRESS, host);
        }
        if (port > 0) {
            builder.setAttribute(HttpServerTelemetry.SERVER_PORT, BoxedLongs.of(port));
        }
        Span span = builder.startSpan();
        return new Call(span, parent.with(span), startNanos, normalized, host, port);
    }

    @Override
    public String[] headers(Object handle) {
        if (!(handle instanceof Call)) {
            return super.headers(handle);
        }
        List<String> out = new ArrayList<>(6);
        propagator.inject(((Call) handle).context, out, (list, key, value) -> {
            list.add(key);
            list.add(value);
        });
        return out.toArray(new String[0]);
    }

    @Override
    public Object withHeaders(Object handle, Object request) {
        if (!(handle instanceof Call) || !(request instanceof HttpRequest)) {
            return request;
        }
        String[] headers = headers(handle);
        if (headers.length == 0) {
            return request;
        }
        HttpRequest original = (HttpRequest) request;
        HttpRequest.Builder copy = HttpRequest.newBuilder(original, (name, value) -> !isPropagationHeader(name));
        for (int i = 0; i + 1 < headers.length; i += 2) {
            copy.setHeader(headers[i], headers[i + 1]);
        }
        return copy.build();
    }

    private static boolean isPropagationHeader(String name) {
        return name.equalsIgnoreCase("traceparent") || name.equalsIgnoreCase("tracestate")
                || name.equalsIgnoreCase("baggage");
    }

    @Override
    public void end(Object handle, int status, Throwable error) {
        if (!(handle instanceof Call)) {
            return;
        }
        Call call = (Call) handle;
        long elapsedNanos = System.nanoTime() - call.startNanos;
        Span span = call.span;
        if (status > 0) {
            span.setAttribute(HttpServerTelemetry.STATUS, BoxedLongs.of(status));
        }
        String errorType = HttpSemantics.errorType(status, error, false);
        if (errorType != null) {
            span.setAttribute(HttpServerTelemetry.ERROR_TYPE, errorType);
            span.setStatus(StatusCode.ERROR);
        }
        if (error != null) {
            span.recordException(error);
        }
        span.end();
        timer(call, status, errorType).record(elapsedNanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public Object endAsync(Object handle, Object future) {
        if (handle instanceof Call && future instanceof CompletableFuture) {
            ((CompletableFuture<?>) future).whenComplete((response, error) -> end(handle,
                    response instanceof HttpResponse ? ((HttpResponse<?>) response).statusCode() : -1,
                    error instanceof CompletionException && error.getCause() != null ? error.getCause() : error));
        }
        return future;
    }

    private Timer timer(Call call, int status, String errorType) {
        String host = hosts.limit(call.host);
        Timer timer = timers.get(call.method, host, errorType, null, null, call.port, status);
        if (timer == null) {
            MeterKey key = new MeterKey(call.method, host, errorType, null, null, call.port, status);
            timer = timers.add(key, () -> Timer.builder("http.client.request.duration")
                    .description("Duration of HTTP client requests")
                    .serviceLevelObjectives(Buckets.advisedDurations())
                    .tag("http.request.method", call.method)
                    .tag("server.address", host == null ? "" : host)
                    .tag("server.port", call.port > 0 ? Integer.toString(call.port) : "")
                    .tag("http.response.status_code", status > 0 ? Integer.toString(status) : "")
                    .tag("error.type", errorType == null ? "" : errorType)
                    .register(registry));
        }
        return timer;
    }

    private static int defaultPort(String scheme) {
        return "https".equalsIgnoreCase(scheme) ? 443 : "http".equalsIgnoreCase(scheme) ? 80 : -1;
    }
}
