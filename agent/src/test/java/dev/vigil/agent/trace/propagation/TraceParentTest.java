package dev.vigil.agent.trace.propagation;

import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** The traceparent rules of W3C Trace Context Level 1 section 3.2 (and the w3c/trace-context test suite). */
class TraceParentTest {
    static final String T = "12345678901234567890123456789012";
    static final String P = "1234567890123456";

    static Stream<Arguments> valid() {
        return Stream.of(
                arguments("version 00, sampled", "00-" + T + "-" + P + "-01", "01"),
                arguments("version 00, not sampled", "00-" + T + "-" + P + "-00", "00"),
                arguments("Level 2 random-trace-id flag kept", "00-" + T + "-" + P + "-03", "03"),
                arguments("random without sampled", "00-" + T + "-" + P + "-02", "02"),
                arguments("reserved flag bits ignored, sampled honoured", "00-" + T + "-" + P + "-ff", "03"),
                arguments("reserved bit 0x04 ignored", "00-" + T + "-" + P + "-04", "00"),
                arguments("reserved bit 0x08 with sampled", "00-" + T + "-" + P + "-09", "01"),
                arguments("future version, 00 layout", "cc-" + T + "-" + P + "-01", "01"),
                arguments("future version with more fields after a dash", "cc-" + T + "-" + P + "-01-what-the-future-will-be-like", "01"),
                arguments("future version fe", "fe-" + T + "-" + P + "-00", "00"),
                arguments("leading space (OWS)", " 00-" + T + "-" + P + "-01", "01"),
                arguments("leading tab (OWS)", "\t00-" + T + "-" + P + "-01", "01"),
                arguments("trailing OWS", "00-" + T + "-" + P + "-01 \t", "01"),
                arguments("OWS both sides", "\t 00-" + T + "-" + P + "-01 \t", "01"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void valid(String rule, String header, String flags) {
        SpanContext parent = TraceParent.parse(header);
        assertThat(parent).as(rule).isNotNull();
        assertThat(parent.getTraceId()).isEqualTo(T);
        assertThat(parent.getSpanId()).isEqualTo(P);
        assertThat(parent.getTraceFlags().asHex()).isEqualTo(flags);
        assertThat(parent.isRemote()).isTrue();
    }

    static Stream<Arguments> invalid() {
        return Stream.of(
                arguments("absent", null),
                arguments("empty", ""),
                arguments("version ff", "ff-" + T + "-" + P + "-01"),
                arguments("version 00 with trailing '-extra'", "00-" + T + "-" + P + "-01-what-the-future-will-be-like"),
                arguments("version 00 with one trailing character", "00-" + T + "-" + P + "-01."),
                arguments("version 00 with a trailing dash", "00-" + T + "-" + P + "-01-"),
                arguments("future version, data after flags without a dash", "cc-" + T + "-" + P + "-01.what-the-future-will-be-like"),
                arguments("future version shorter than 55", "cc-" + T + "-" + P + "-1"),
                arguments("uppercase version", "0A-" + T + "-" + P + "-01"),
                arguments("uppercase trace id", "00-" + T.substring(0, 29) + "ABC-" + P + "-01"),
                arguments("uppercase parent id", "00-" + T + "-" + P.substring(0, 13) + "ABC-01"),
                arguments("uppercase flags", "00-" + T + "-" + P + "-0A"),
                arguments("illegal character in version", ".0-" + T + "-" + P + "-01"),
                arguments("illegal character in trace id", "00-." + T.substring(1) + "-" + P + "-01"),
                arguments("illegal character in parent id", "00-" + T + "-" + P.substring(0, 15) + ".-01"),
                arguments("illegal character in flags", "00-" + T + "-" + P + "-.0"),
                arguments("version too long", "000-" + T + "-" + P + "-01"),
                arguments("version too short", "0-" + T + "-" + P + "-01"),
                arguments("trace id too long", "00-" + T + "3-" + P + "-01"),
                arguments("trace id too short", "00-" + T.substring(1) + "-" + P + "-01"),
                arguments("parent id too long", "00-" + T + "-" + P + "7-01"),
                arguments("parent id too short", "00-" + T + "-" + P.substring(1) + "-01"),
                arguments("flags too long", "00-" + T + "-" + P + "-001"),
                arguments("flags too short", "00-" + T + "-" + P + "-1"),
                arguments("all-zero trace id", "00-00000000000000000000000000000000-" + P + "-01"),
                arguments("all-zero parent id", "00-" + T + "-0000000000000000-01"),
                arguments("wrong delimiter", "00_" + T + "-" + P + "-01"),
                arguments("two values joined by a comma", "00-" + T + "-" + P + "-01,00-" + T + "-" + P + "-01"),
                arguments("whitespace inside", "00-" + T + "- " + P.substring(1) + "-01"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void invalid(String rule, String header) {
        assertThat(TraceParent.parse(header)).as(rule).isNull();
    }

    @Test
    void formatIsAlwaysVersion00AndClearsReservedBits() {
        SpanContext context = SpanContext.create(T, P, TraceFlags.fromByte((byte) 0xff), TraceState.getDefault());
        assertThat(TraceParent.format(context)).isEqualTo("00-" + T + "-" + P + "-03");
        assertThat(TraceParent.format(SpanContext.create(T, P, TraceFlags.getDefault(), TraceState.getDefault())))
                .isEqualTo("00-" + T + "-" + P + "-00");
    }

    @Test
    void aFutureVersionIsWrittenBackAsVersion00() {
        SpanContext parsed = TraceParent.parse("cc-" + T + "-" + P + "-01-extra");
        assertThat(TraceParent.format(parsed)).isEqualTo("00-" + T + "-" + P + "-01");
    }
}
