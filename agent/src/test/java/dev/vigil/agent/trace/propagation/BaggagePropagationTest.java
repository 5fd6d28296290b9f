package dev.vigil.agent.trace.propagation;

import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.api.baggage.BaggageEntry;
import io.opentelemetry.api.baggage.propagation.W3CBaggagePropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.ContextKey;
import io.opentelemetry.context.propagation.TextMapPropagator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** W3C Baggage behaviour of the propagator Vigil installs (OpenTelemetry's, checked here rule by rule). */
class BaggagePropagationTest {
    static final TextMapPropagator PROPAGATOR = BaggagePropagation.propagator();
    /** As in the agent (VigilAgent turns OTel's loggers off): the parser logs each malformed member. */
    static final Logger PARSER_LOG = Logger.getLogger(W3CBaggagePropagator.class.getPackageName());

    static {
        PARSER_LOG.setLevel(Level.OFF);
    }

    static Map<String, String> extract(String... fields) {
        Map<String, List<String>> carrier = new LinkedHashMap<>();
        carrier.put("baggage", List.of(fields));
        Baggage baggage = Baggage.fromContext(PROPAGATOR.extract(Context.root(), carrier, TraceContextPropagatorTest.GETTER));
        Map<String, String> out = new TreeMap<>();
        baggage.forEach((k, e) -> out.put(k, e.getValue() + (e.getMetadata().getValue().isEmpty() ? "" : ";" + e.getMetadata().getValue())));
        return out;
    }

    static Stream<Arguments> members() {
        return Stream.of(
                arguments("plain members", List.of("k1=v1,k2=v2"), Map.of("k1", "v1", "k2", "v2")),
                arguments("percent-decoded value", List.of("k=caf%C3%A9%20au%2Clait"), Map.of("k", "café au,lait")),
                arguments("properties after ';' kept as metadata", List.of("k1=v1;p1=a;p2,k2=v2"), Map.of("k1", "v1;p1=a;p2", "k2", "v2")),
                arguments("OWS around keys, values and members", List.of(" k1 = v1 , k2=v2\t"), Map.of("k1", "v1", "k2", "v2")),
                arguments("several headers are one list", List.of("k1=v1", "k2=v2"), Map.of("k1", "v1", "k2", "v2")),
                arguments("empty members skipped", List.of("k1=v1,,k2=v2"), Map.of("k1", "v1", "k2", "v2")),
                arguments("malformed key skipped, others kept", List.of("k1=v1,bad key=x,k3=v3"), Map.of("k1", "v1", "k3", "v3")),
                arguments("missing key skipped", List.of("k1=v1,=x,k3=v3"), Map.of("k1", "v1", "k3", "v3")),
                arguments("bad percent-encoding skipped", List.of("k1=v%XX,k2=v2"), Map.of("k2", "v2")),
                arguments("space in value skipped", List.of("k1=a b,k2=v2"), Map.of("k2", "v2")),
                arguments("quote in value skipped", List.of("k1=\"q\",k2=v2"), Map.of("k2", "v2")),
                arguments("member over 8192 bytes dropped", List.of("big=" + "v".repeat(9000) + ",k=v"), Map.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void members(String rule, List<String> fields, Map<String, String> expected) {
        assertThat(extract(fields.toArray(new String[0]))).as(rule).isEqualTo(expected);
    }

    @Test
    void aCarrierWithoutBaggageLeavesTheContextAsItWas() {
        Context parent = Context.root().with(ContextKey.named("k"), "v");
        assertThat(PROPAGATOR.extract(parent, Map.<String, List<String>>of(), TraceContextPropagatorTest.GETTER))
                .isSameAs(parent);
        assertThat(PROPAGATOR.extract(parent, Map.of("baggage", List.of()), TraceContextPropagatorTest.GETTER))
                .isSameAs(parent);
        assertThat(Baggage.fromContext(PROPAGATOR.extract(parent, Map.of("baggage", List.of("k=v")),
                TraceContextPropagatorTest.GETTER)).getEntryValue("k")).isEqualTo("v");
    }

    @Test
    void atLeast64MembersAreCarried() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 64; i++) {
            sb.append(i > 0 ? "," : "").append("k").append(i).append("=v").append(i);
        }
        assertThat(extract(sb.toString())).hasSize(64);
    }

    @Test
    void injectPercentEncodesValuesAndKeepsProperties() {
        Map<String, List<String>> carrier = Map.of("baggage", List.of("k1=caf%C3%A9%20x;p=1"));
        Context context = PROPAGATOR.extract(Context.root(), carrier, TraceContextPropagatorTest.GETTER);
        Map<String, String> out = new LinkedHashMap<>();
        PROPAGATOR.inject(context, out, Map::put);
        assertThat(out.get("baggage")).isEqualTo("k1=caf%C3%A9%20x;p=1");
        BaggageEntry entry = Baggage.fromContext(context).getEntry("k1");
        assertThat(entry.getValue()).isEqualTo("café x");
    }
}
