package dev.vigil.agent.trace.propagation;

import io.opentelemetry.api.baggage.propagation.W3CBaggagePropagator;
import io.opentelemetry.context.propagation.TextMapPropagator;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * W3C Baggage: OpenTelemetry's {@link W3CBaggagePropagator}, which already follows the spec where Vigil checked
 * it (percent-decoding and -encoding of values, properties after {@code ;} kept as metadata, optional whitespace,
 * malformed members skipped without losing the others, several {@code baggage} headers read through
 * {@code getAll}, at most 64 members and 8192 bytes kept). One thing is changed: its parser logs every malformed
 * member at WARNING with a stack trace through {@code java.util.logging}, so a client could fill the host's log
 * with a crafted header. That logger (under Vigil's relocated package, so no application logger is touched) is
 * turned off; the member is still skipped.
 */
public final class BaggagePropagation {
    /** Held strongly: {@code java.util.logging} keeps loggers weakly, and a collected one loses its level. */
    private static final Logger PARSER_LOG = Logger.getLogger(W3CBaggagePropagator.class.getPackageName() + ".Parser");

    static {
        PARSER_LOG.setLevel(Level.OFF);
    }

    private BaggagePropagation() {
    }

    public static TextMapPropagator propagator() {
        return W3CBaggagePropagator.getInstance();
    }

    static Logger parserLogger() {
        return PARSER_LOG;
    }
}
