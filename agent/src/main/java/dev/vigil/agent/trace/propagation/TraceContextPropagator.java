package dev.vigil.agent.trace.propagation;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.context.propagation.TextMapSetter;

import java.util.Collection;
import java.util.Iterator;
import java.util.List;

/**
 * W3C Trace Context ({@code traceparent} + {@code tracestate}), Level 1 with the Level 2 {@code random-trace-id}
 * flag. Used instead of OpenTelemetry's {@code W3CTraceContextPropagator} because that one reads a single value
 * per header (a repeated {@code traceparent} goes unnoticed unless every carrier joins or hides it), rejects a
 * {@code traceparent} surrounded by optional whitespace, and keeps reserved flag bits on the remote parent.
 *
 * <p>Extraction reads every value of each header through {@link TextMapGetter#getAll}: a {@code traceparent}
 * that is absent, repeated or invalid (see {@link TraceParent}) leaves the context unchanged, so the next span
 * starts a new trace, and {@code tracestate} is then not even read. A valid {@code traceparent} becomes the
 * remote parent with the {@code tracestate} list of {@link TraceStateHeader} (empty when that is invalid).
 *
 * <p>Injection writes version {@code 00} with the current span's own id and flags (sampled + random-trace-id:
 * the SDK carries the random bit from a remote parent to its children and sets it on new traces, since its id
 * generator is random), and the {@code tracestate} unchanged, omitted when empty. Header names are lowercase;
 * reading them case-insensitively is the carrier's job (HTTP header maps are). Stateless, thread-safe.
 */
public final class TraceContextPropagator implements TextMapPropagator {
    public static final String TRACEPARENT = "traceparent";
    public static final String TRACESTATE = "tracestate";
    private static final List<String> FIELDS = List.of(TRACEPARENT, TRACESTATE);
    private static final TraceContextPropagator INSTANCE = new TraceContextPropagator();

    private TraceContextPropagator() {
    }

    public static TraceContextPropagator getInstance() {
        return INSTANCE;
    }

    @Override
    public Collection<String> fields() {
        return FIELDS;
    }

    @Override
    public <C> void inject(Context context, C carrier, TextMapSetter<C> setter) {
        if (context == null || setter == null) {
            return;
        }
        SpanContext span = Span.fromContext(context).getSpanContext();
        if (!span.isValid()) {
            return;
        }
        setter.set(carrier, TRACEPARENT, TraceParent.format(span));
        String state = TraceStateHeader.format(span.getTraceState());
        if (!state.isEmpty()) {
            setter.set(carrier, TRACESTATE, state);
        }
    }

    @Override
    public <C> Context extract(Context context, C carrier, TextMapGetter<C> getter) {
        if (context == null) {
            context = Context.root();
        }
        if (getter == null) {
            return context;
        }
        SpanContext parent = TraceParent.parse(onlyValue(getter.getAll(carrier, TRACEPARENT)));
        if (parent == null) {
            return context;
        }
        TraceState state = TraceStateHeader.parse(getter.getAll(carrier, TRACESTATE));
        if (!state.isEmpty()) {
            parent = SpanContext.createFromRemoteParent(parent.getTraceId(), parent.getSpanId(),
                    parent.getTraceFlags(), state);
        }
        return context.with(Span.wrap(parent));
    }

    /** The single value, or null when there is none or more than one (a repeated traceparent is invalid). */
    private static String onlyValue(Iterator<String> values) {
        if (values == null || !values.hasNext()) {
            return null;
        }
        String first = values.next();
        return values.hasNext() ? null : first;
    }

    @Override
    public String toString() {
        return "VigilTraceContextPropagator";
    }
}
