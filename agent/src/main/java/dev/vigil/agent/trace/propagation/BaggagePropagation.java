package dev.vigil.agent.trace.propagation;

import io.opentelemetry.api.baggage.propagation.W3CBaggagePropagator;
import io.opentelemetry.context.propagation.TextMapPropagator;

/**
 * W3C Baggage: OpenTelemetry's {@link W3CBaggagePropagator}, kept because it follows the spec wherever Vigil
 * checked it ({@code BaggagePropagationTest}, {@code W3CTraceContextIT}): percent-decoding and -encoding of values,
 * properties after {@code ;} kept as metadata, optional whitespace, malformed members skipped without losing the
 * others, several {@code baggage} headers read through {@code getAll} as one list, at least 64 members carried and
 * a member over 8192 bytes dropped. Its parser logs each malformed member at WARNING with a stack trace; that
 * would let a client fill the host's log, and it is silenced with every relocated OpenTelemetry logger in
 * {@code VigilAgent}. Duplicate keys collapse to the last value (OpenTelemetry's baggage is a map), which the
 * spec allows ("uniqueness of keys is not guaranteed", order of duplicates only a SHOULD).
 */
public final class BaggagePropagation {
    private BaggagePropagation() {
    }

    public static TextMapPropagator propagator() {
        return W3CBaggagePropagator.getInstance();
    }
}
