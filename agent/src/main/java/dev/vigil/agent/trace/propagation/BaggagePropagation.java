package dev.vigil.agent.trace.propagation;

import io.opentelemetry.api.baggage.propagation.W3CBaggagePropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.context.propagation.TextMapSetter;

import java.util.Collection;
import java.util.Iterator;

/**
 * W3C Baggage: OpenTelemetry's {@link W3CBaggagePropagator}, kept because it follows the spec wherever Vigil
 * checked it ({@code BaggagePropagationTest}, {@code W3CTraceContextIT}): percent-decoding and -encoding of values,
 * properties after {@code ;} kept as metadata, optional whitespace, malformed members skipped without losing the
 * others, several {@code baggage} headers read through {@code getAll} as one list, at least 64 members carried and
 * a member over 8192 bytes dropped. Its parser logs each malformed member at WARNING with a stack trace; that
 * would let a client fill the host's log, and it is silenced with every relocated OpenTelemetry logger in
 * {@code VigilAgent}. Duplicate keys collapse to the last value (OpenTelemetry's baggage is a map), which the
 * spec allows ("uniqueness of keys is not guaranteed", order of duplicates only a SHOULD).
 *
 * <p>Extraction first asks whether there is a {@code baggage} field at all: OpenTelemetry's parser builds an empty
 * baggage for every carrier that has none, which is most requests, and that would be two objects per request.
 */
public final class BaggagePropagation implements TextMapPropagator {
    private static final TextMapPropagator W3C = W3CBaggagePropagator.getInstance();
    private static final BaggagePropagation INSTANCE = new BaggagePropagation();

    private BaggagePropagation() {
    }

    public static TextMapPropagator propagator() {
        return INSTANCE;
    }

    @Override
    public Collection<String> fields() {
        return W3C.fields();
    }

    @Override
    public <C> void inject(Context context, C carrier, TextMapSetter<C> setter) {
        W3C.inject(context, carrier, setter);
    }

    @Override
    public <C> Context extract(Context context, C carrier, TextMapGetter<C> getter) {
        if (getter != null && context != null) {
            Iterator<String> fields = getter.getAll(carrier, "baggage");
            if (fields == null || !fields.hasNext()) {
                return context;
            }
        }
        return W3C.extract(context, carrier, getter);
    }

    @Override
    public String toString() {
        return "BaggagePropagation{" + W3C + "}";
    }
}
