package dev.vigil.agent.http;

import dev.vigil.agent.metrics.Buckets;
import dev.vigil.agent.metrics.MeterKey;
import dev.vigil.agent.runtime.looplag.RequestWatch;
import dev.vigil.agent.trace.CurrentSpanExemplars;
import dev.vigil.agent.trace.SpanNames;
import dev.vigil.agent.util.BoxedLongs;
import dev.vigil.bridge.AgentThread;
import dev.vigil.bridge.HttpServerHook;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapPropagator;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Server spans and the {@code http.server.request.duration} histogram for every instrumented HTTP server.
 *
 * <p>The span is made current for the thread that handles the request, so client calls made while handling it
 * become its children. A servlet request still in asynchronous mode when its handler returns keeps its span open
 * until the container completes it ({@link ServletAsyncCompletion}). Thread-safe; one instance serves all servers.
 */
public final class HttpServerTelemetry extends HttpServerHook {
    static final AttributeKey<String> METHOD = AttributeKey.stringKey("http.request.method");
    static final AttributeKey<String> METHOD_ORIGINAL = AttributeKey.stringKey("http.request.method_original");
    static final AttributeKey<Long> STATUS = AttributeKey.longKey("http.response.status_code");
    static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
    static final AttributeKey<String> ROUTE = AttributeKey.stringKey("http.route");
    static final AttributeKey<String> SERVER_ADDRESS = AttributeKey.stringKey("server.address");
    static final AttributeKey<Long> SERVER_PORT = AttributeKey.longKey("server.port");
    // keys are constants: a String key makes the SDK create an AttributeKey per call, and the exporter encode its
    // name again per span (the encoded name is cached on the key)
    static final AttributeKey<String> URL_PATH = AttributeKey.stringKey("url.path");
    static final AttributeKey<String> URL_SCHEME = AttributeKey.stringKey("url.scheme");
    static final AttributeKey<String> URL_QUERY = AttributeKey.stringKey("url.query");
    static final AttributeKey<String> URL_FULL = AttributeKey.stringKey("url.full");
    static final AttributeKey<String> CLIENT_ADDRESS = AttributeKey.stringKey("client.address");
    static final AttributeKey<String> USER_AGENT = AttributeKey.stringKey("user_agent.original");

    private final Tracer tracer;
    private final TextMapPropagator propagator;
    private final MeterRegistry registry;
    private final RequestWatch requests;
    private final CardinalityLimiter routes = new CardinalityLimiter(500);
    private final SpanNames spanNames = new SpanNames();
    private final ConcurrentHashMap<MeterKey, Timer> timers = new ConcurrentHashMap<>();

    /** Per-request state, held by the advice between {@link #start} and {@link #end}. */
    static final class Exchange {
        final Span span;
        final Scope scope;
        final long startNanos;
        final String method;
        final String scheme;
        final AtomicBoolean ended = new AtomicBoolean();

        Exchange(Span span, Scope scope, long startNanos, String method, String scheme) {
            this.span = span;
            this.scope = scope;
            this.startNanos = startNanos;
            this.method = method;
            this.scheme = scheme;
        }
    }

    /** {@code requests} learns which thread serves a request since when (blocked-request detection). */
    public HttpServerTelemetry(Tracer tracer, TextMapPropagator propagator, MeterRegistry registry,
                               RequestWatch requests) {
        this.tracer = tracer;
        this.propagator = propagator;
        this.registry = registry;
        this.requests = requests;
    }

    @Override
    public Object start(String method, String scheme, String host, int port, String path, String query,
                        String clientAddress, String userAgent, Object traceparent, Object tracestate,
                        Object baggage) {
        if (AgentThread.current()) {
            return null;
        }
        long startNanos = System.nanoTime();
        Context parent = propagator.extract(Context.root(),
                HeaderValues.Carrier.of(traceparent, tracestate, baggage), HeaderValues.GETTER);
        String normalized = HttpSemantics.method(method);
        SpanBuilder builder = tracer.spanBuilder(normalized.equals(HttpSemantics.OTHER_METHOD) ? "HTTP" : normalized)
                .setParent(parent)
                .setSpanKind(SpanKind.SERVER)
                .setAttribute(METHOD, normalized)
                .setAttribute(URL_PATH, path)
                .setAttribute(URL_SCHEME, scheme);
        if (!normalized.equals(method) && method != null) {
            builder.setAttribute(METHOD_ORIGINAL, method);
        }
        if (query != null && !query.isEmpty()) {
            builder.setAttribute(URL_QUERY, UrlRedaction.query(query));
        }
        if (host != null) {
            builder.setAttribute(SERVER_ADDRESS, host);
        }
        if (port > 0) {
            builder.setAttribute(SERVER_PORT, BoxedLongs.of(port));
        }
        if (clientAddress != null) {
            builder.setAttribute(CLIENT_ADDRESS, clientAddress);
        }
        if (userAgent != null) {
            builder.setAttribute(USER_AGENT, userAgent);
        }
        Span span = builder.startSpan();
        Scope scope = parent.with(span).makeCurrent();
        Exchange exchange = new Exchange(span, scope, startNanos, normalized, scheme);
        requests.enter(startNanos);
        return exchange;
    }

    @Override
    public void end(Object handle, int status, String route, Throwable error) {
        if (!(handle instanceof Exchange)) {
            return;
        }
        Exchange exchange = (Exchange) handle;
        requests.exit();
        exchange.scope.close();
        finish(exchange, status, route, error);
    }

    @Override
    public Object endAsync(Object handle, String route, Class<?> listenerType) {
        if (!(handle instanceof Exchange) || listenerType == null) {
            return null;
        }
        Object listener = ServletAsyncCompletion.listener(this, (Exchange) handle, route, listenerType);
        if (listener != null) {
            requests.exit();
            ((Exchange) handle).scope.close(); // the request thread is done; the span lives on until completion
        }
        return listener;
    }

    /** Ends the span and records the duration; once per exchange, whichever thread gets here first. */
    void finish(Exchange exchange, int status, String route, Throwable error) {
        if (!exchange.ended.compareAndSet(false, true)) {
            return;
        }
        long elapsedNanos = System.nanoTime() - exchange.startNanos;
        Span span = exchange.span;
        if (route != null && !route.isEmpty()) {
            span.setAttribute(ROUTE, route);
            span.updateName(spanNames.of(exchange.method.equals(HttpSemantics.OTHER_METHOD) ? "HTTP" : exchange.method,
                    route));
        }
        if (status > 0) {
            span.setAttribute(STATUS, BoxedLongs.of(status));
        }
        String errorType = HttpSemantics.errorType(status, error, true);
        if (errorType != null) {
            span.setAttribute(ERROR_TYPE, errorType);
            span.setStatus(StatusCode.ERROR);
        }
        if (error != null) {
            span.recordException(error);
        }
        span.end();
        // recorded with the span current, on whichever thread finishes: the bucket gets this trace as exemplar
        try (Scope ignored = CurrentSpanExemplars.aroundRecording(span)) {
            timer(exchange.method, routes.limit(route), status, exchange.scheme, errorType)
                    .record(elapsedNanos, TimeUnit.NANOSECONDS);
        }
    }

    private Timer timer(String method, String route, int status, String scheme, String errorType) {
        MeterKey key = new MeterKey(method, route, scheme, errorType, null, status, 0);
        Timer timer = timers.get(key);
        if (timer == null) {
            timer = timers.computeIfAbsent(key, k -> {
                Timer.Builder b = Timer.builder("http.server.request.duration")
                        .description("Duration of HTTP server requests")
                        .serviceLevelObjectives(Buckets.advisedDurations())
                        .tag("http.request.method", method)
                        .tag("url.scheme", scheme == null ? "http" : scheme)
                        .tag("http.route", route == null ? "" : route)
                        .tag("http.response.status_code", status > 0 ? Integer.toString(status) : "")
                        .tag("error.type", errorType == null ? "" : errorType);
                return b.register(registry);
            });
        }
        return timer;
    }
}
