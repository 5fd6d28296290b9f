package dev.vigil.agent.trace.propagation;

import io.opentelemetry.api.trace.TraceState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** The tracestate rules of W3C Trace Context Level 1 section 3.3 (and the w3c/trace-context test suite). */
class TraceStateHeaderTest {
    static final String KEY_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789_-*/";
    static final String VALUE_CHARS = IntStream.rangeClosed(0x20, 0x7E).filter(c -> c != ',' && c != '=')
            .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();

    static String members(int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 1; i <= n; i++) {
            sb.append(i > 1 ? "," : "").append(String.format("bar%02d=%02d", i, i));
        }
        return sb.toString();
    }

    /** header field values -> the list propagated ("" = none). */
    static Stream<Arguments> lists() {
        return Stream.of(
                arguments("single member", List.of("foo=1"), "foo=1"),
                arguments("order kept", List.of("foo=1,bar=2,baz=3"), "foo=1,bar=2,baz=3"),
                arguments("several headers are one list, in order", List.of("foo=1,bar=2", "rojo=1,congo=2", "baz=3"),
                        "foo=1,bar=2,rojo=1,congo=2,baz=3"),
                arguments("empty header", List.of(""), ""),
                arguments("empty header among others", List.of("", "foo=1", ""), "foo=1"),
                arguments("empty members skipped", List.of("foo=1,,, ,\t,bar=2"), "foo=1,bar=2"),
                arguments("OWS around members", List.of("foo=1 \t , \t bar=2, \t baz=3"), "foo=1,bar=2,baz=3"),
                arguments("OWS before the first member", List.of("\t foo=1"), "foo=1"),
                arguments("trailing OWS is not part of the value", List.of("foo=1 \t"), "foo=1"),
                arguments("leading spaces belong to the value", List.of("foo=  1"), "foo=  1"),
                arguments("32 members over 4 headers", List.of(members(10), members(20).substring(members(10).length() + 1),
                        members(30).substring(members(20).length() + 1), "bar31=31,bar32=32"), members(32)),
                arguments("32 members plus empty ones", List.of(members(32) + ",,"), members(32)),
                arguments("33 members: whole list dropped", List.of(members(33)), ""),
                arguments("duplicate key: whole list dropped", List.of("foo=1,foo=1"), ""),
                arguments("duplicate key with another value", List.of("foo=1,foo=2"), ""),
                arguments("duplicate key across headers", List.of("foo=1", "foo=2"), ""),
                arguments("all key characters", List.of(KEY_CHARS + "=1"), KEY_CHARS + "=1"),
                arguments("multi-tenant key", List.of("fw529a3039@dt=foo"), "fw529a3039@dt=foo"),
                arguments("tenant id may start with a digit", List.of("9abc@dt=x"), "9abc@dt=x"),
                arguments("multi-tenant key, all characters", List.of(KEY_CHARS + "@a-z0-9_-*/=1"), KEY_CHARS + "@a-z0-9_-*/=1"),
                arguments("all value characters", List.of("foo=" + VALUE_CHARS), "foo=" + VALUE_CHARS),
                arguments("256-character key", List.of("foo=1", "z".repeat(256) + "=1"), "foo=1," + "z".repeat(256) + "=1"),
                arguments("257-character key", List.of("foo=1", "z".repeat(257) + "=1"), ""),
                arguments("241-character tenant, 14-character system", List.of("t".repeat(241) + "@" + "v".repeat(14) + "=1"),
                        "t".repeat(241) + "@" + "v".repeat(14) + "=1"),
                arguments("242-character tenant", List.of("foo=1", "t".repeat(242) + "@v=1"), ""),
                arguments("15-character system", List.of("foo=1", "t@" + "v".repeat(15) + "=1"), ""),
                arguments("256-character value", List.of("foo=" + "v".repeat(256)), "foo=" + "v".repeat(256)),
                arguments("257-character value", List.of("foo=" + "v".repeat(257)), ""),
                arguments("simple key starting with a digit", List.of("1abc=1,bar=2"), ""),
                arguments("uppercase key", List.of("FOO=1"), ""),
                arguments("space inside key", List.of("foo =1"), ""),
                arguments("dot in key", List.of("foo.bar=1"), ""),
                arguments("empty tenant", List.of("@foo=1,bar=2"), ""),
                arguments("empty system", List.of("foo@=1,bar=2"), ""),
                arguments("double @", List.of("foo@@bar=1,bar=2"), ""),
                arguments("two @", List.of("foo@bar@baz=1,bar=2"), ""),
                arguments("system starting with a digit", List.of("foo@1bar=1"), ""),
                arguments("= in value", List.of("foo=bar=baz"), ""),
                arguments("empty value", List.of("foo=,bar=3"), ""),
                arguments("member without =", List.of("foo,bar=3"), ""),
                arguments("empty key", List.of("=1"), ""),
                arguments("tab inside value", List.of("foo=a\tb"), ""),
                arguments("non-ASCII in value", List.of("foo=caf\u00e9"), ""),
                arguments("one bad member drops the others", List.of("foo=1,BAD=2,bar=3"), ""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void lists(String rule, List<String> fields, String propagated) {
        TraceState state = TraceStateHeader.parse(fields.iterator());
        assertThat(TraceStateHeader.format(state)).as(rule).isEqualTo(propagated);
    }

    @Test
    void membersKeepKeysAndValuesExactly() {
        List<String[]> members = TraceStateHeader.members(" a=1 , b=  x y ,c@d=e");
        assertThat(members).extracting(m -> Arrays.asList(m)).containsExactly(
                List.of("a", "1"), List.of("b", "  x y"), List.of("c@d", "e"));
    }

    @Test
    void absentHeaderIsTheEmptyList() {
        assertThat(TraceStateHeader.parse(null).isEmpty()).isTrue();
        assertThat(TraceStateHeader.parse(new ArrayList<String>().iterator()).isEmpty()).isTrue();
        assertThat(TraceStateHeader.format(TraceState.getDefault())).isEmpty();
    }

    @Test
    void stateKeepsTheOrderForTheSdk() {
        TraceState state = TraceStateHeader.parse(List.of("rojo=00f067aa0ba902b7,congo=t61rcWkgMzE").iterator());
        assertThat(state.asMap().keySet()).containsExactly("rojo", "congo");
        assertThat(state.get("congo")).isEqualTo("t61rcWkgMzE");
    }
}
