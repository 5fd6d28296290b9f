package dev.vigil.agent.http;

import io.opentelemetry.context.propagation.TextMapGetter;

import java.util.Collections;
import java.util.Enumeration;
import java.util.Iterator;
import java.util.List;

/**
 * Adapts the header values a server library hands out (a String, a List or an Enumeration of every value of one
 * header) to what the W3C propagators read.
 *
 * <p>The W3C rules applied here: a {@code traceparent} sent more than once is invalid (ignored, a new trace
 * starts); several {@code tracestate} or {@code baggage} headers form one list joined with commas.
 */
final class HeaderValues {
    /** The three propagation headers of one request, as handed out by the server library. */
    record Carrier(Object traceparent, Object tracestate, Object baggage) {
    }

    static final TextMapGetter<Carrier> GETTER = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Carrier carrier) {
            return List.of("traceparent", "tracestate", "baggage");
        }

        @Override
        public String get(Carrier carrier, String key) {
            if (carrier == null) {
                return null;
            }
            switch (key) {
                case "traceparent":
                    return single(carrier.traceparent);
                case "tracestate":
                    return joined(carrier.tracestate);
                case "baggage":
                    return joined(carrier.baggage);
                default:
                    return null;
            }
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
        if (raw instanceof List) {
            @SuppressWarnings("unchecked")
            List<String> list = (List<String>) raw;
            return list;
        }
        if (raw instanceof Enumeration) {
            return Collections.list((Enumeration<?>) raw).stream().map(String::valueOf).toList();
        }
        if (raw instanceof Iterable) {
            java.util.ArrayList<String> out = new java.util.ArrayList<>();
            for (Iterator<?> it = ((Iterable<?>) raw).iterator(); it.hasNext(); ) {
                out.add(String.valueOf(it.next()));
            }
            return out;
        }
        return List.of(raw.toString());
    }

    /** The only value, or null when the header is absent or repeated. */
    static String single(Object raw) {
        List<String> v = values(raw);
        return v.size() == 1 ? v.get(0) : null;
    }

    static String joined(Object raw) {
        List<String> v = values(raw);
        return v.isEmpty() ? null : String.join(",", v);
    }
}
