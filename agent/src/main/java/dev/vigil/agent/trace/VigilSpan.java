package dev.vigil.agent.trace;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.common.InstrumentationLibraryInfo;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.common.internal.ExceptionAttributeResolver;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.ExceptionEventData;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.data.StatusData;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A recording span of Vigil's tracer: the span, what the span processor reads ({@link ReadableSpan}) and what the
 * exporter reads ({@link SpanData}) in one object, so that ending and exporting a span copies nothing. It keeps the
 * SDK's rules: changes after {@link #end} are ignored, an {@code OK} status is final, at most 128 attributes, events
 * and links each (the rest counted as dropped), timestamps from one clock anchor per trace within the process.
 *
 * <p>Mutators hold the span's monitor (a span may be ended on another thread than the one that started it); the
 * {@link SpanData} getters are read by the exporter after the span has ended and been handed over through the span
 * processor's queue.
 */
final class VigilSpan implements Span, ReadableSpan, SpanData {
    /** The SDK's default span limits: at most this many attributes, events and links each. */
    static final int LIMIT = 128;

    private final VigilTracer tracer;
    private final SpanContext context;
    private final SpanContext parent;
    private final SpanKind kind;
    private final SpanAttributes attributes;
    /** Epoch and {@link System#nanoTime} at the start of the trace's first span in this process. */
    final long anchorEpochNanos;
    final long anchorNanoTime;
    private final long startEpochNanos;
    private String name;
    private StatusData status = StatusData.unset();
    private List<EventData> events;
    private int eventsAdded;
    private List<LinkData> links;
    private int linksAdded;
    private long endEpochNanos;
    private volatile boolean ended;

    VigilSpan(VigilTracer tracer, SpanContext context, SpanContext parent, String name, SpanKind kind,
              SpanAttributes attributes, List<LinkData> links, int linksAdded, long anchorEpochNanos,
              long anchorNanoTime, long startEpochNanos) {
        this.tracer = tracer;
        this.context = context;
        this.parent = parent;
        this.name = name;
        this.kind = kind;
        this.attributes = attributes;
        this.links = links;
        this.linksAdded = linksAdded;
        this.anchorEpochNanos = anchorEpochNanos;
        this.anchorNanoTime = anchorNanoTime;
        this.startEpochNanos = startEpochNanos;
    }

    private long now() {
        return anchorEpochNanos + (System.nanoTime() - anchorNanoTime);
    }

    @Override
    public synchronized <T> Span setAttribute(AttributeKey<T> key, T value) {
        if (!ended) {
            attributes.put(key, value);
        }
        return this;
    }

    @Override
    public Span addEvent(String name, Attributes eventAttributes) {
        return addEvent(name, eventAttributes, now());
    }

    @Override
    public Span addEvent(String name, Attributes eventAttributes, long timestamp, TimeUnit unit) {
        return addEvent(name, eventAttributes, unit == null ? timestamp : unit.toNanos(timestamp));
    }

    private Span addEvent(String name, Attributes eventAttributes, long epochNanos) {
        if (name == null) {
            return this;
        }
        Attributes attrs = eventAttributes == null ? Attributes.empty() : eventAttributes;
        return addEvent(EventData.create(epochNanos, name, attrs, attrs.size()));
    }

    private synchronized Span addEvent(EventData event) {
        if (ended) {
            return this;
        }
        eventsAdded++;
        if (events == null) {
            events = new ArrayList<>(2);
        }
        if (events.size() < LIMIT) {
            events.add(event);
        }
        return this;
    }

    @Override
    public Span recordException(Throwable exception, Attributes additional) {
        if (exception == null) {
            return this;
        }
        SpanAttributes attrs = new SpanAttributes();
        ExceptionAttributeResolver.getDefault().setExceptionAttributes(attrs::put, exception, Integer.MAX_VALUE);
        if (additional != null) {
            attrs.putAll(additional);
        }
        return addEvent(ExceptionEventData.create(now(), exception, attrs, attrs.totalAdded()));
    }

    @Override
    public synchronized Span setStatus(StatusCode code, String description) {
        if (!ended && code != null && status.getStatusCode() != StatusCode.OK) {
            status = StatusData.create(code, description);
        }
        return this;
    }

    @Override
    public synchronized Span updateName(String name) {
        if (!ended && name != null) {
            this.name = name;
        }
        return this;
    }

    @Override
    public synchronized Span addLink(SpanContext linked, Attributes linkAttributes) {
        if (ended || linked == null || !linked.isValid()) {
            return this;
        }
        linksAdded++;
        if (links.size() < LIMIT) {
            if (!(links instanceof ArrayList)) {
                links = new ArrayList<>(links);
            }
            links.add(link(linked, linkAttributes));
        }
        return this;
    }

    /** A link to {@code linked} with its attributes (none when null). */
    static LinkData link(SpanContext linked, Attributes linkAttributes) {
        Attributes attrs = linkAttributes == null ? Attributes.empty() : linkAttributes;
        return LinkData.create(linked, attrs, attrs.size());
    }

    @Override
    public void end() {
        endAt(now());
    }

    @Override
    public void end(long timestamp, TimeUnit unit) {
        endAt(timestamp == 0 ? now() : unit == null ? timestamp : unit.toNanos(timestamp));
    }

    private void endAt(long epochNanos) {
        synchronized (this) {
            if (ended) {
                return;
            }
            endEpochNanos = epochNanos;
            ended = true;
        }
        tracer.ended(this);
    }

    @Override
    public SpanContext getSpanContext() {
        return context;
    }

    @Override
    public boolean isRecording() {
        return !ended;
    }

    // ReadableSpan and SpanData

    @Override
    public SpanContext getParentSpanContext() {
        return parent;
    }

    @Override
    public synchronized String getName() {
        return name;
    }

    @Override
    public SpanData toSpanData() {
        return this;
    }

    @Override
    @SuppressWarnings("deprecation")
    public InstrumentationLibraryInfo getInstrumentationLibraryInfo() {
        return tracer.libraryInfo;
    }

    @Override
    public InstrumentationScopeInfo getInstrumentationScopeInfo() {
        return tracer.scopeInfo;
    }

    @Override
    public boolean hasEnded() {
        return ended;
    }

    @Override
    public synchronized long getLatencyNanos() {
        return (ended ? endEpochNanos : now()) - startEpochNanos;
    }

    @Override
    public SpanKind getKind() {
        return kind;
    }

    @Override
    public synchronized <T> T getAttribute(AttributeKey<T> key) {
        return attributes.get(key);
    }

    @Override
    public Attributes getAttributes() {
        return attributes;
    }

    @Override
    public synchronized StatusData getStatus() {
        return status;
    }

    @Override
    public long getStartEpochNanos() {
        return startEpochNanos;
    }

    @Override
    public synchronized List<EventData> getEvents() {
        return events == null ? Collections.emptyList() : Collections.unmodifiableList(events);
    }

    @Override
    public synchronized List<LinkData> getLinks() {
        return links.isEmpty() ? Collections.emptyList() : Collections.unmodifiableList(links);
    }

    @Override
    public synchronized long getEndEpochNanos() {
        return endEpochNanos;
    }

    @Override
    public synchronized int getTotalRecordedEvents() {
        return eventsAdded;
    }

    @Override
    public synchronized int getTotalRecordedLinks() {
        return linksAdded;
    }

    @Override
    public synchronized int getTotalAttributeCount() {
        return attributes.totalAdded();
    }

    @Override
    public Resource getResource() {
        return tracer.resource;
    }

    @Override
    public String toString() {
        return "VigilSpan{" + getName() + ", " + context.getTraceId() + "/" + context.getSpanId() + "}";
    }
}
