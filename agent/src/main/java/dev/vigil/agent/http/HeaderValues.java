package dev.vigil.agent.http;

import io.opentelemetry.context.propagation.TextMapGetter;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.Iterator;
import java.util.List;

/**
 * Adapts the header values a server library hands out (a String, a List or an Enumeration of every value of one
 * header) to what the propagators read. Header names are matched case-insensitively by the server library
 * ({@code Headers.get}, {@code getHeaders}), as the W3C specs require.
 *
 * <p>{@link TextMapGetter#getAll} returns every value as received, so the propagators apply the W3C rules
 * themselves (a repeated {@code traceparent} is invalid; several {@code tracestate} or {@code baggage} fields
 * form one list). {@link TextMapGetter#get}, for propagators that read one value, applies the same rules: null
 * for a repeated {@code traceparent}, the others joined with commas.
 */
final class HeaderValues {
    /**
     * The three propagation headers of one request. The values are copied into lists when it is built, because an
     * {@code Enumeration} can be read only once.
     */
    record Carrier(List<String> traceparent, List<String> tracestate, List<String> baggage) {
        static Carrier of(Object traceparent, Object tracestate, Object baggage) {
            return new Carrier(HeaderValues.values(traceparent), HeaderValues.values(tracestate),
                    HeaderValues.values(baggage));
        }

        List<String> values(String key) {
            switch (key) {
                case "traceparent":
                    return traceparent;
                case "tracestate":
                    return tracestate;
                case "baggage":
                    return baggage;
                default:
                    return Collections.emptyList();
            }
        }
    }

    static final TextMapGetter<Carrier> GETTER = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Carrier carrier) {
            return List.of("traceparent", "tracestate", "baggage");
        }

        @Override
        public String get(Carrier carrier, String key) {
            if (carrier == null || key == null) {
                return null;
            }
            List<String> v = carrier.values(key);
            if (key.equals("traceparent")) {
                return v.size() == 1 ? v.get(0) : null;
            }
            return v.isEmpty() ? null : String.join(",", v);
        }

        @Override
        public Iterator<String> getAll(Carrier carrier, String key) {
            if (carrier == null || key == null) {
                return Collections.emptyIterator();
            }
            return carrier.values(key).iterator();
        }
    };

    private HeaderValues() {
    }

    static List<String> values(Object raw) {
        if (raw == null) {
            return Collections.emptyList();
        }
        if (raw instanceof String) {
            return List.of((String) raw);
        }
        List<String> out = new ArrayList<>(2);
        if (raw instanceof Enumeration) {
            for (Enumeration<?> e = (Enumeration<?>) raw; e.hasMoreElements(); ) {
                Object v = e.nextElement();
                if (v != null) {
                    out.add(v.toString());
                }
            }
            return out;
        }
        if (raw instanceof Iterable) {
            for (Object v : (Iterable<?>) raw) {
                if (v != null) {
                    out.add(v.toString());
                }
            }
            return out;
        }
        out.add(raw.toString());
        return out;
    }
}
