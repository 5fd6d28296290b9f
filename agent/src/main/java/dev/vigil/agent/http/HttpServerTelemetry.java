package dev.vigil.agent.http;

import dev.vigil.agent.metrics.Buckets;
import dev.vigil.agent.metrics.MeterKey;
import dev.vigil.agent.metrics.MeterTable;
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

import java.net.Inet4Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

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
    private final MeterTable<Timer> timers = new MeterTable<>();
    /** The last client address formatted (see {@link #clientAddress}); racy by design, any value is correct. */
    private volatile FormattedAddress lastClient;
    /** The last Host header turned into {@code server.address} (see {@link #hostOf}); racy in the same way. */
    private volatile FormattedHost lastHost;

    private static final AtomicIntegerFieldUpdater<Exchange> ENDED =
            AtomicIntegerFieldUpdater.newUpdater(Exchange.class, "ended");

    /** Per-request state, held by the advice between {@link #start} and {@link #end}. */
    static final class Exchange {
        final Span span;
        final Scope scope;
        final long startNanos;
        final String method;
        final String scheme;
        /** 1 once ended (a field and an updater: an {@code AtomicBoolean} per request is 16 bytes more). */
        volatile int ended;

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
    public Object start(String method, String scheme, int port, String path, String query, InetAddress client,
                        Map<String, List<String>> headers) {
        if (AgentThread.current()) {
            return null;
        }
        String host = null;
        String userAgent = null;
        List<String> traceparent = null;
        List<String> tracestate = null;
        List<String> baggage = null;
        if (headers != null) {
            for (Map.Entry<String, List<String>> header : headers.entrySet()) {
                String name = header.getKey();
                if (name == null) {
                    continue;
                }
                switch (name.length()) {
                    case 4 -> host = name.equalsIgnoreCase("host") ? first(header.getValue()) : host;
                    case 7 -> baggage = name.equalsIgnoreCase("baggage") ? header.getValue() : baggage;
                    case 10 -> {
                        if (name.equalsIgnoreCase("user-agent")) {
                            userAgent = first(header.getValue());
                        } else if (name.equalsIgnoreCase("tracestate")) {
                            tracestate = header.getValue();
                        }
                    }
                    case 11 -> traceparent = name.equalsIgnoreCase("traceparent") ? header.getValue() : traceparent;
                    default -> {
                    }
                }
            }
        }
        return start(method, scheme, hostOf(host), port, path, query, clientAddress(client), userAgent, traceparent,
                tracestate, baggage);
    }

    /**
     * {@code server.address} from a Host header: the name without the port ({@code shop:8080} → {@code shop},
     * {@code [::1]:8080} → {@code ::1}). The last one is kept, as for {@link #clientAddress}.
     */
    String hostOf(String header) {
        if (header == null || header.isEmpty()) {
            return null;
        }
        FormattedHost last = lastHost;
        if (last != null && last.header.equals(header)) {
            return last.host;
        }
        String host;
        if (header.charAt(0) == '[') {
            int end = header.indexOf(']');
            host = end > 1 ? header.substring(1, end) : null;
        } else {
            int colon = header.indexOf(':');
            host = colon < 0 ? header : colon == 0 ? null : header.substring(0, colon);
        }
        lastHost = new FormattedHost(header, host);
        return host;
    }

    private record FormattedHost(String header, String host) {
    }

    private static String first(List<String> values) {
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /**
     * The peer's address as text. The last one formatted is kept, as the same few clients (a load balancer, a
     * gateway, a sidecar) usually send most requests: formatting allocates a builder and two strings, comparing
     * two addresses nothing.
     */
    private String clientAddress(InetAddress client) {
        if (client == null) {
            return null;
        }
        FormattedAddress last = lastClient;
        // an IPv6 address's text carries its scope, which equals() does not compare
        if (last != null && (last.address == client || client instanceof Inet4Address && last.address.equals(client))) {
            return last.text;
        }
        String text = client.getHostAddress();
        lastClient = new FormattedAddress(client, text);
        return text;
    }

    private record FormattedAddress(InetAddress address, String text) {
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
        if (!ENDED.compareAndSet(exchange, 0, 1)) {
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
        Timer timer = timers.get(method, route, scheme, errorType, null, status, 0);
        if (timer == null) {
            timer = timers.add(new MeterKey(method, route, scheme, errorType, null, status, 0), () -> {
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
