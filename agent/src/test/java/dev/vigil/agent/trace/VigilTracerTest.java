package dev.vigil.agent.trace;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Vigil's own spans keep the SDK's rules: ids, parents, sampling, flags, limits, status, events, links, clock. */
class VigilTracerTest {
    private static final AttributeKey<String> A = AttributeKey.stringKey("a");
    private static final AttributeKey<Long> N = AttributeKey.longKey("n");
    private static final Resource RESOURCE = Resource.empty().toBuilder().put("service.name", "test").build();

    private final Ended ended = new Ended();

    private Tracer tracer(Sampler sampler) {
        return new VigilTracer(sampler, ended, RESOURCE, "scope", "1.0");
    }

    @Test
    void aRootSpanStartsANewRandomSampledTraceAndReachesTheProcessorOnceWhenEnded() {
        Span span = tracer(Sampler.parentBased(Sampler.alwaysOn())).spanBuilder("GET")
                .setNoParent()
                .setSpanKind(SpanKind.SERVER)
                .setAttribute(A, "one")
                .setAttribute("n", 1L)
                .startSpan();
        span.setAttribute(A, "two"); // replaces
        span.setAttribute("extra", true);
        assertThat(span.isRecording()).isTrue();
        assertThat(ended.spans).isEmpty();
        span.end();
        span.end();
        assertThat(span.isRecording()).isFalse();

        assertThat(ended.spans).hasSize(1);
        SpanData data = ended.spans.get(0).toSpanData();
        assertThat(data.getName()).isEqualTo("GET");
        assertThat(data.getKind()).isEqualTo(SpanKind.SERVER);
        assertThat(data.getSpanContext()).isEqualTo(span.getSpanContext());
        assertThat(data.getSpanContext().isValid()).isTrue();
        assertThat(data.getSpanContext().getTraceFlags().asHex()).as("sampled, random trace id").isEqualTo("03");
        assertThat(data.getParentSpanContext().isValid()).isFalse();
        assertThat(data.getAttributes().asMap()).containsOnly(
                org.assertj.core.api.Assertions.entry(A, "two"),
                org.assertj.core.api.Assertions.entry(N, 1L),
                org.assertj.core.api.Assertions.entry(AttributeKey.booleanKey("extra"), true));
        assertThat(data.getAttributes().get(A)).isEqualTo("two");
        assertThat(data.getAttributes().get(AttributeKey.longKey("a"))).as("same name, other type").isNull();
        assertThat(data.getTotalAttributeCount()).isEqualTo(4);
        assertThat(data.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
        assertThat(data.getEvents()).isEmpty();
        assertThat(data.getLinks()).isEmpty();
        assertThat(data.hasEnded()).isTrue();
        assertThat(data.getEndEpochNanos()).isGreaterThanOrEqualTo(data.getStartEpochNanos());
        assertThat(data.getStartEpochNanos()).isCloseTo(System.currentTimeMillis() * 1_000_000L,
                org.assertj.core.data.Offset.offset(TimeUnit.SECONDS.toNanos(10)));
        assertThat(data.getResource()).isEqualTo(RESOURCE);
        assertThat(data.getInstrumentationScopeInfo().getName()).isEqualTo("scope");
        assertThat(data.getInstrumentationScopeInfo().getVersion()).isEqualTo("1.0");
    }

    @Test
    void aChildOfTheCurrentSpanSharesItsTraceAndClockAndNamesItsParent() {
        Tracer tracer = tracer(Sampler.parentBased(Sampler.alwaysOn()));
        Span parent = tracer.spanBuilder("parent").startSpan();
        Span child;
        try (Scope ignored = parent.makeCurrent()) {
            child = tracer.spanBuilder("child").startSpan();
        }
        child.end();
        parent.end();
        SpanData c = ended.spans.get(0).toSpanData();
        SpanData p = ended.spans.get(1).toSpanData();
        assertThat(c.getTraceId()).isEqualTo(p.getTraceId());
        assertThat(c.getParentSpanId()).isEqualTo(p.getSpanId());
        assertThat(c.getSpanId()).isNotEqualTo(p.getSpanId());
        assertThat(c.getStartEpochNanos()).isBetween(p.getStartEpochNanos(), p.getEndEpochNanos());
        assertThat(c.getEndEpochNanos()).isBetween(c.getStartEpochNanos(), p.getEndEpochNanos());
    }

    @Test
    void aRemoteParentGivesTraceIdFlagsAndTraceState() {
        SpanContext remote = SpanContext.createFromRemoteParent("0af7651916cd43dd8448eb211c80319c",
                "b7ad6b7169203331", TraceFlags.getSampled(), TraceState.builder().put("vendor", "x").build());
        Span span = tracer(Sampler.parentBased(Sampler.alwaysOn())).spanBuilder("consume")
                .setParent(Context.root().with(Span.wrap(remote)))
                .startSpan();
        span.end();
        SpanData data = ended.spans.get(0).toSpanData();
        assertThat(data.getTraceId()).isEqualTo(remote.getTraceId());
        assertThat(data.getParentSpanContext()).isEqualTo(remote);
        assertThat(data.getSpanContext().getTraceFlags().asHex()).as("not marked random by the parent").isEqualTo("01");
        assertThat(data.getSpanContext().getTraceState().get("vendor")).isEqualTo("x");
        assertThat(data.getSpanContext().isRemote()).isFalse();
    }

    @Test
    void aSpanSampledOutIsNotRecordedButCarriesItsContextOn() {
        Span span = tracer(Sampler.alwaysOff()).spanBuilder("dropped").setAttribute(A, "x").startSpan();
        assertThat(span.isRecording()).isFalse();
        assertThat(span.getSpanContext().isValid()).isTrue();
        assertThat(span.getSpanContext().isSampled()).isFalse();
        span.end();
        assertThat(ended.spans).isEmpty();

        SpanContext unsampledParent = SpanContext.createFromRemoteParent("0af7651916cd43dd8448eb211c80319c",
                "b7ad6b7169203331", TraceFlags.getDefault(), TraceState.getDefault());
        Span child = tracer(Sampler.parentBased(Sampler.alwaysOn())).spanBuilder("child")
                .setParent(Context.root().with(Span.wrap(unsampledParent))).startSpan();
        assertThat(child.isRecording()).isFalse();
        assertThat(child.getSpanContext().getTraceId()).isEqualTo(unsampledParent.getTraceId());
    }

    @Test
    void nothingChangesAfterTheEndAndAnOkStatusIsFinal() {
        Span span = tracer(Sampler.alwaysOn()).spanBuilder("first").startSpan();
        span.setStatus(StatusCode.OK);
        span.setStatus(StatusCode.ERROR, "ignored: OK is final");
        span.updateName("second");
        span.end();
        span.updateName("third");
        span.setAttribute(A, "late");
        span.setStatus(StatusCode.ERROR);
        span.addEvent("late");
        SpanData data = ended.spans.get(0).toSpanData();
        assertThat(data.getName()).isEqualTo("second");
        assertThat(data.getStatus().getStatusCode()).isEqualTo(StatusCode.OK);
        assertThat(data.getAttributes().isEmpty()).isTrue();
        assertThat(data.getEvents()).isEmpty();

        Span failed = tracer(Sampler.alwaysOn()).spanBuilder("failed").startSpan();
        failed.setStatus(StatusCode.ERROR, "boom");
        failed.end();
        assertThat(ended.spans.get(1).toSpanData().getStatus().getDescription()).isEqualTo("boom");
    }

    @Test
    void anExceptionIsRecordedAsTheConventionalEvent() {
        Span span = tracer(Sampler.alwaysOn()).spanBuilder("op").startSpan();
        span.recordException(new IllegalStateException("no rows"), Attributes.of(A, "extra"));
        span.addEvent("custom", Attributes.of(N, 7L), 5, TimeUnit.SECONDS);
        span.end();
        List<EventData> events = ended.spans.get(0).toSpanData().getEvents();
        assertThat(events).hasSize(2);
        Attributes exception = events.get(0).getAttributes();
        assertThat(events.get(0).getName()).isEqualTo("exception");
        assertThat(exception.get(AttributeKey.stringKey("exception.type")))
                .isEqualTo(IllegalStateException.class.getName());
        assertThat(exception.get(AttributeKey.stringKey("exception.message"))).isEqualTo("no rows");
        assertThat(exception.get(AttributeKey.stringKey("exception.stacktrace")))
                .contains("anExceptionIsRecordedAsTheConventionalEvent");
        assertThat(exception.get(A)).isEqualTo("extra");
        assertThat(events.get(1).getEpochNanos()).isEqualTo(TimeUnit.SECONDS.toNanos(5));
        assertThat(events.get(1).getAttributes().get(N)).isEqualTo(7L);
    }

    @Test
    void attributesEventsAndLinksStopAt128AndCountTheRest() {
        SpanContext linked = SpanContext.create("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331",
                TraceFlags.getSampled(), TraceState.getDefault());
        var builder = tracer(Sampler.alwaysOn()).spanBuilder("busy").addLink(linked)
                .addLink(SpanContext.getInvalid()); // ignored
        for (int i = 0; i < 100; i++) {
            builder.setAttribute("b" + i, i);
        }
        Span span = builder.startSpan();
        for (int i = 0; i < 40; i++) {
            span.setAttribute("s" + i, i);
        }
        for (int i = 0; i < 130; i++) {
            span.addEvent("e" + i);
            span.addLink(linked, Attributes.of(N, (long) i));
        }
        span.end();
        SpanData data = ended.spans.get(0).toSpanData();
        assertThat(data.getAttributes().size()).isEqualTo(128);
        assertThat(data.getTotalAttributeCount()).isEqualTo(140);
        assertThat(data.getAttributes().get(AttributeKey.longKey("s27"))).isEqualTo(27L);
        assertThat(data.getAttributes().get(AttributeKey.longKey("s28"))).isNull();
        assertThat(data.getEvents()).hasSize(128);
        assertThat(data.getTotalRecordedEvents()).isEqualTo(130);
        assertThat(data.getLinks()).hasSize(128);
        assertThat(data.getTotalRecordedLinks()).isEqualTo(131);
        assertThat(data.getLinks().get(0).getSpanContext()).isEqualTo(linked);
    }

    @Test
    void anExplicitStartTimestampIsKept() {
        Span span = tracer(Sampler.alwaysOn()).spanBuilder("receive")
                .setStartTimestamp(1_000, TimeUnit.MILLISECONDS).startSpan();
        span.end(2, TimeUnit.SECONDS);
        SpanData data = ended.spans.get(0).toSpanData();
        assertThat(data.getStartEpochNanos()).isEqualTo(TimeUnit.SECONDS.toNanos(1));
        assertThat(data.getEndEpochNanos()).isEqualTo(TimeUnit.SECONDS.toNanos(2));
    }

    /** Collects the spans it is handed when they end. */
    private static final class Ended implements SpanProcessor {
        final List<ReadableSpan> spans = new CopyOnWriteArrayList<>();

        @Override
        public void onStart(Context parentContext, ReadWriteSpan span) {
        }

        @Override
        public boolean isStartRequired() {
            return false;
        }

        @Override
        public void onEnd(ReadableSpan span) {
            spans.add(span);
        }

        @Override
        public boolean isEndRequired() {
            return true;
        }

        @Override
        public CompletableResultCode shutdown() {
            return CompletableResultCode.ofSuccess();
        }
    }
}
