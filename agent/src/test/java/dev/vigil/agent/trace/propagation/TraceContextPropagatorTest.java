package dev.vigil.agent.trace.propagation;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class TraceContextPropagatorTest {
    static final String T = TraceParentTest.T;
    static final String P = TraceParentTest.P;
    static final String TP = "00-" + T + "-" + P + "-01";
    static final TraceContextPropagator PROPAGATOR = TraceContextPropagator.getInstance();
    static final SdkTracerProvider PROVIDER = SdkTracerProvider.builder()
            .setSampler(Sampler.parentBased(Sampler.alwaysOn()))
            // the SDK hands out non-recording, invalid spans when no processor is registered
            .addSpanProcessor(new SpanProcessor() {
                @Override
                public void onStart(Context parentContext, ReadWriteSpan span) {
                }

                @Override
                public boolean isStartRequired() {
                    return false;
                }

                @Override
                public void onEnd(ReadableSpan span) {
                }

                @Override
                public boolean isEndRequired() {
                    return false;
                }
            }).build();
    static final Tracer TRACER = PROVIDER.get("test");

    /** Header name -> every value, like an HTTP request's header map. */
    static final TextMapGetter<Map<String, List<String>>> GETTER = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, List<String>> carrier) {
            return carrier.keySet();
        }

        @Override
        public String get(Map<String, List<String>> carrier, String key) {
            List<String> v = carrier.get(key);
            return v == null || v.isEmpty() ? null : v.get(0);
        }

        @Override
        public Iterator<String> getAll(Map<String, List<String>> carrier, String key) {
            List<String> v = carrier.get(key);
            return v == null ? Collections.emptyIterator() : v.iterator();
        }
    };

    @AfterAll
    static void close() {
        PROVIDER.close();
    }

    static Map<String, List<String>> headers(String... nameValue) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (int i = 0; i < nameValue.length; i += 2) {
            out.computeIfAbsent(nameValue[i], k -> new ArrayList<>()).add(nameValue[i + 1]);
        }
        return out;
    }

    static SpanContext extract(Map<String, List<String>> carrier) {
        return Span.fromContext(PROPAGATOR.extract(Context.root(), carrier, GETTER)).getSpanContext();
    }

    static Map<String, String> inject(Context context) {
        Map<String, String> out = new LinkedHashMap<>();
        PROPAGATOR.inject(context, out, Map::put);
        return out;
    }

    @Test
    void continuesAValidParentWithItsTracestate() {
        SpanContext parent = extract(headers("traceparent", TP, "tracestate", "foo=1,bar=2"));
        assertThat(parent.isValid()).isTrue();
        assertThat(parent.isRemote()).isTrue();
        assertThat(parent.getTraceId()).isEqualTo(T);
        assertThat(parent.getSpanId()).isEqualTo(P);
        assertThat(parent.isSampled()).isTrue();
        assertThat(parent.getTraceState().asMap()).containsExactly(Map.entry("foo", "1"), Map.entry("bar", "2"));
    }

    @Test
    void aRepeatedTraceparentIsInvalidEvenWhenBothAreEqual() {
        assertThat(extract(headers("traceparent", TP, "traceparent", TP)).isValid()).isFalse();
        assertThat(extract(headers("traceparent", TP, "traceparent", "00-" + T + "-" + P + "-00")).isValid()).isFalse();
    }

    @Test
    void tracestateIsIgnoredWithoutAValidTraceparent() {
        assertThat(extract(headers("tracestate", "foo=1")).isValid()).isFalse();
        Context extracted = PROPAGATOR.extract(Context.root(),
                headers("traceparent", "00-00000000000000000000000000000000-" + P + "-01", "tracestate", "foo=1"), GETTER);
        assertThat(extracted).isSameAs(Context.root());
    }

    @Test
    void anInvalidTracestateKeepsTheTraceparent() {
        SpanContext parent = extract(headers("traceparent", TP, "tracestate", "foo=1,foo=2"));
        assertThat(parent.getTraceId()).isEqualTo(T);
        assertThat(parent.getTraceState().isEmpty()).isTrue();
    }

    @Test
    void severalTracestateHeadersAreOneList() {
        SpanContext parent = extract(headers("traceparent", TP, "tracestate", "a=1", "tracestate", "", "tracestate", "b=2"));
        assertThat(TraceStateHeader.format(parent.getTraceState())).isEqualTo("a=1,b=2");
    }

    @Test
    void aGetterWithoutGetAllStillWorksThroughGet() {
        TextMapGetter<Map<String, String>> single = new TextMapGetter<>() {
            @Override
            public Iterable<String> keys(Map<String, String> carrier) {
                return carrier.keySet();
            }

            @Override
            public String get(Map<String, String> carrier, String key) {
                return carrier.get(key);
            }
        };
        Context c = PROPAGATOR.extract(Context.root(), Map.of("traceparent", TP, "tracestate", "a=1"), single);
        assertThat(Span.fromContext(c).getSpanContext().getTraceState().get("a")).isEqualTo("1");
    }

    @Test
    void outgoingHeaderIsVersion00WithOurSpanIdAndTheSameTracestate() {
        Context parent = PROPAGATOR.extract(Context.root(),
                headers("traceparent", "cc-" + T + "-" + P + "-09-future", "tracestate", " congo=t61rcWkgMzE , rojo=1 "), GETTER);
        Span child = TRACER.spanBuilder("child").setParent(parent).startSpan();
        Map<String, String> out = inject(parent.with(child));
        assertThat(out.get("traceparent")).isEqualTo("00-" + T + "-" + child.getSpanContext().getSpanId() + "-01");
        assertThat(child.getSpanContext().getSpanId()).isNotEqualTo(P);
        assertThat(out.get("tracestate")).isEqualTo("congo=t61rcWkgMzE,rojo=1");
        child.end();
    }

    @Test
    void randomFlagOfTheParentIsPropagated() {
        for (String flags : List.of("02", "03")) {
            Context parent = PROPAGATOR.extract(Context.root(), headers("traceparent", "00-" + T + "-" + P + "-" + flags), GETTER);
            Span child = TRACER.spanBuilder("child").setParent(parent).startSpan();
            assertThat(inject(parent.with(child)).get("traceparent")).endsWith("-" + flags);
            child.end();
        }
        Context notRandom = PROPAGATOR.extract(Context.root(), headers("traceparent", TP), GETTER);
        Span child = TRACER.spanBuilder("child").setParent(notRandom).startSpan();
        assertThat(inject(notRandom.with(child)).get("traceparent")).endsWith("-01");
        child.end();
    }

    @Test
    void aNewTraceIsMarkedRandomBecauseTheSdkGeneratesRandomIds() {
        Span root = TRACER.spanBuilder("root").setParent(Context.root()).startSpan();
        String header = inject(Context.root().with(root)).get("traceparent");
        assertThat(header).isEqualTo("00-" + root.getSpanContext().getTraceId() + "-" + root.getSpanContext().getSpanId() + "-03");
        assertThat(inject(Context.root().with(root))).doesNotContainKey("tracestate");
        root.end();
    }

    @Test
    void reservedFlagsAreNotSentEvenForTheRemoteParentItself() {
        Context parent = PROPAGATOR.extract(Context.root(), headers("traceparent", "00-" + T + "-" + P + "-ff"), GETTER);
        assertThat(inject(parent).get("traceparent")).isEqualTo("00-" + T + "-" + P + "-03");
    }

    @Test
    void nothingIsInjectedWithoutASpan() {
        assertThat(inject(Context.root())).isEmpty();
        assertThat(PROPAGATOR.fields()).containsExactly("traceparent", "tracestate");
    }
}
