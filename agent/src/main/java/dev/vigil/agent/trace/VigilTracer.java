package dev.vigil.agent.trace;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.internal.ImmutableSpanContext;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanId;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceId;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.common.Clock;
import io.opentelemetry.sdk.common.InstrumentationLibraryInfo;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.IdGenerator;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.opentelemetry.sdk.trace.samplers.SamplingDecision;
import io.opentelemetry.sdk.trace.samplers.SamplingResult;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The tracer behind Vigil's instrumentations: the SDK's sampler, id generator, span processor and exporter, with
 * spans of its own ({@link VigilSpan}). The SDK's span allocated about 0.35 KB more per span (a hash map with room
 * for 16 attributes and a 32-slot table, a wrapper per export): on the orders service, which makes three spans per
 * request, about 1 KB of the agent's 6 KB per request (docs/DECISIONS.md, "Spans of Vigil's own").
 *
 * <p>It decides as the SDK's tracer does: the parent is the span in the given (else the current) context; a new
 * trace gets a random trace id and the W3C level 2 random-trace-id flag; the sampler decides with the builder's
 * attributes and links; a span that is not recorded is a non-recording span carrying the new context, so that
 * the trace still propagates.
 */
public final class VigilTracer implements Tracer {
    private static final Span RANDOM_TRACE_ID_PRIMORDIAL_SPAN = Span.wrap(SpanContext.create(TraceId.getInvalid(),
            SpanId.getInvalid(), TraceFlags.builder().setRandomTraceId(true).build(), TraceState.getDefault()));
    private static final Context ROOT_WITH_RANDOM_TRACE_ID = Context.root().with(RANDOM_TRACE_ID_PRIMORDIAL_SPAN);

    private final Sampler sampler;
    private final SpanProcessor processor;
    private final IdGenerator ids = IdGenerator.random();
    private final Clock clock = Clock.getDefault();
    final Resource resource;
    final InstrumentationScopeInfo scopeInfo;
    @SuppressWarnings("deprecation")
    final InstrumentationLibraryInfo libraryInfo;

    @SuppressWarnings("deprecation")
    public VigilTracer(Sampler sampler, SpanProcessor processor, Resource resource, String scope, String version) {
        this.sampler = sampler;
        this.processor = processor;
        this.resource = resource;
        this.scopeInfo = InstrumentationScopeInfo.builder(scope).setVersion(version).build();
        this.libraryInfo = InstrumentationLibraryInfo.create(scope, version);
    }

    @Override
    public SpanBuilder spanBuilder(String name) {
        return new Builder(name == null || name.trim().isEmpty() ? "<unspecified span name>" : name);
    }

    void ended(VigilSpan span) {
        processor.onEnd(span);
    }

    private final class Builder implements SpanBuilder {
        private final String name;
        private Context parent;
        private SpanKind kind = SpanKind.INTERNAL;
        private SpanAttributes attributes;
        private List<LinkData> links;
        private int linksAdded;
        private long startEpochNanos;

        Builder(String name) {
            this.name = name;
        }

        @Override
        public SpanBuilder setParent(Context context) {
            if (context != null) {
                parent = context;
            }
            return this;
        }

        @Override
        public SpanBuilder setNoParent() {
            parent = Context.root();
            return this;
        }

        @Override
        public SpanBuilder addLink(SpanContext context) {
            return addLink(context, io.opentelemetry.api.common.Attributes.empty());
        }

        @Override
        public SpanBuilder addLink(SpanContext context, io.opentelemetry.api.common.Attributes linkAttributes) {
            if (context == null || !context.isValid()) {
                return this;
            }
            linksAdded++;
            if (links == null) {
                links = new ArrayList<>(1);
            }
            if (links.size() < VigilSpan.LIMIT) {
                links.add(VigilSpan.link(context, linkAttributes));
            }
            return this;
        }

        @Override
        public SpanBuilder setAttribute(String key, String value) {
            return setAttribute(AttributeKey.stringKey(key), value);
        }

        @Override
        public SpanBuilder setAttribute(String key, long value) {
            return setAttribute(AttributeKey.longKey(key), value);
        }

        @Override
        public SpanBuilder setAttribute(String key, double value) {
            return setAttribute(AttributeKey.doubleKey(key), value);
        }

        @Override
        public SpanBuilder setAttribute(String key, boolean value) {
            return setAttribute(AttributeKey.booleanKey(key), value);
        }

        @Override
        public <T> SpanBuilder setAttribute(AttributeKey<T> key, T value) {
            if (attributes == null) {
                attributes = new SpanAttributes();
            }
            attributes.put(key, value);
            return this;
        }

        @Override
        public SpanBuilder setSpanKind(SpanKind spanKind) {
            if (spanKind != null) {
                kind = spanKind;
            }
            return this;
        }

        @Override
        public SpanBuilder setStartTimestamp(long timestamp, TimeUnit unit) {
            if (timestamp >= 0 && unit != null) {
                startEpochNanos = unit.toNanos(timestamp);
            }
            return this;
        }

        @Override
        public Span startSpan() {
            Context parentContext = parent == null ? Context.current() : parent;
            Span parentSpan = Span.fromContext(parentContext);
            SpanContext parentSpanContext = parentSpan.getSpanContext();
            String spanId = ids.generateSpanId();
            String traceId;
            boolean randomTraceId;
            Context samplerContext = parentContext;
            if (parentSpanContext.isValid()) {
                traceId = parentSpanContext.getTraceId();
                randomTraceId = parentSpanContext.getTraceFlags().isTraceIdRandom();
            } else {
                traceId = ids.generateTraceId();
                randomTraceId = true;
                samplerContext = parentContext == Context.root() ? ROOT_WITH_RANDOM_TRACE_ID
                        : parentContext.with(RANDOM_TRACE_ID_PRIMORDIAL_SPAN);
            }
            List<LinkData> spanLinks = links == null ? Collections.emptyList() : links;
            SpanAttributes spanAttributes = attributes == null ? new SpanAttributes() : attributes;
            SamplingResult result = sampler.shouldSample(samplerContext, traceId, name, kind, spanAttributes, spanLinks);
            SamplingDecision decision = result.getDecision();
            TraceState state = result.getUpdatedTraceState(parentSpanContext.getTraceState());
            TraceFlags flags = TraceFlags.builder()
                    .setSampled(decision == SamplingDecision.RECORD_AND_SAMPLE)
                    .setRandomTraceId(randomTraceId)
                    .build();
            SpanContext context = ImmutableSpanContext.create(traceId, spanId, flags, state, false, true);
            if (decision == SamplingDecision.DROP) {
                return Span.wrap(context);
            }
            if (!result.getAttributes().isEmpty()) {
                spanAttributes.putAll(result.getAttributes());
            }
            long anchorEpoch;
            long anchorNano;
            long start;
            if (parentSpan instanceof VigilSpan) { // one clock anchor per trace, as the SDK's spans share theirs
                VigilSpan local = (VigilSpan) parentSpan;
                anchorEpoch = local.anchorEpochNanos;
                anchorNano = local.anchorNanoTime;
                start = anchorEpoch + (System.nanoTime() - anchorNano);
            } else {
                anchorNano = System.nanoTime();
                anchorEpoch = clock.now();
                start = anchorEpoch;
            }
            if (startEpochNanos != 0) {
                start = startEpochNanos;
            }
            return new VigilSpan(VigilTracer.this, context, parentSpanContext, name, kind, spanAttributes,
                    spanLinks, linksAdded, anchorEpoch, anchorNano, start);
        }
    }
}
