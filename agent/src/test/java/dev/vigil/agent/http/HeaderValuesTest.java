package dev.vigil.agent.http;

import dev.vigil.agent.trace.propagation.TraceContextPropagator;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.context.Context;
import org.junit.jupiter.api.Test;

import java.util.Collections;
import java.util.List;
import java.util.Vector;

import static org.assertj.core.api.Assertions.assertThat;

class HeaderValuesTest {
    static final String TP = "00-12345678901234567890123456789012-1234567890123456-01";

    static SpanContext extract(HeaderValues.Carrier carrier) {
        return Span.fromContext(TraceContextPropagator.getInstance().extract(Context.root(), carrier, HeaderValues.GETTER))
                .getSpanContext();
    }

    @Test
    void servletEnumerationsAreReadOnceAndKeepEveryValue() {
        HeaderValues.Carrier carrier = HeaderValues.Carrier.of(new Vector<>(List.of(TP)).elements(),
                new Vector<>(List.of("a=1", "b=2")).elements(), Collections.emptyEnumeration());
        assertThat(extract(carrier).getTraceState().asMap()).containsOnlyKeys("a", "b");
        assertThat(extract(carrier).isValid()).as("read a second time").isTrue();
    }

    @Test
    void aRepeatedTraceparentFromAHeaderListIsInvalid() {
        assertThat(extract(HeaderValues.Carrier.of(List.of(TP, TP), null, null)).isValid()).isFalse();
        assertThat(HeaderValues.GETTER.get(HeaderValues.Carrier.of(List.of(TP, TP), null, null), "traceparent")).isNull();
    }

    @Test
    void getJoinsListsForPropagatorsThatReadOneValue() {
        HeaderValues.Carrier carrier = HeaderValues.Carrier.of(TP, List.of("a=1", "b=2"), List.of("k=v", "l=w"));
        assertThat(HeaderValues.GETTER.get(carrier, "traceparent")).isEqualTo(TP);
        assertThat(HeaderValues.GETTER.get(carrier, "tracestate")).isEqualTo("a=1,b=2");
        assertThat(HeaderValues.GETTER.get(carrier, "baggage")).isEqualTo("k=v,l=w");
        assertThat(HeaderValues.GETTER.get(carrier, "other")).isNull();
    }
}
