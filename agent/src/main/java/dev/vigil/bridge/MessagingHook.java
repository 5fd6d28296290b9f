package dev.vigil.bridge;

import java.util.Map;

/**
 * Messaging clients (JMS, RabbitMQ, Kafka), called by their advice. java.base types only: library objects are
 * unpacked by the advice, which passes names, ids and header values.
 *
 * <p>Propagation values ({@code traceparent}, {@code tracestate}, {@code baggage}) are passed as the library holds
 * them: a {@code String}, a {@code byte[]} (UTF-8, Kafka) or any object whose {@code toString()} is the value
 * (RabbitMQ's {@code LongString}), or {@code null} when absent.
 *
 * <p>Every method does nothing by default; {@code null} handles mean "not traced" and are accepted everywhere.
 */
public class MessagingHook {
    /** Starts a PRODUCER span for one message about to be sent; returns its handle or {@code null}. */
    public Object startSend(String system, String destination, boolean temporaryDestination) {
        return null;
    }

    /**
     * The propagation fields for the message of {@code handle} as name/value pairs
     * ({@code [name0, value0, name1, value1, ...]}), names already legal for {@code system} (JMS property names
     * must be Java identifiers); {@code null} when there is nothing to inject.
     */
    public String[] injectFields(Object handle) {
        return null;
    }

    /**
     * A new header map: a copy of {@code headers} (may be null) plus the propagation fields of {@code handle};
     * {@code headers} itself when there is nothing to inject (RabbitMQ's properties are immutable).
     */
    public Map<String, Object> headersWith(Object handle, Map<String, Object> headers) {
        return headers;
    }

    /** Adds a string attribute (routing key, ...) to the span of {@code handle}. */
    public void attribute(Object handle, String key, String value) {
    }

    /** Adds a numeric attribute (partition, offset, ...) to the span of {@code handle}. */
    public void attribute(Object handle, String key, long value) {
    }

    /** Ends a send span; {@code messageId} may be null (assigned by the provider or unknown). */
    public void endSend(Object handle, String messageId, Throwable error) {
    }

    /**
     * A receive call that started at {@code startNanos} ({@link System#nanoTime()}) returned one message: starts its
     * span (back-dated) and returns the handle to end with {@link #endReceive}. {@code sentAtMillis} is the
     * producer's timestamp (epoch millis) or 0 when unknown.
     */
    public Object startReceive(String system, String destination, long startNanos, Object traceparent,
                               Object tracestate, Object baggage, long sentAtMillis, String messageId) {
        return null;
    }

    public void endReceive(Object handle, Throwable error) {
    }

    /**
     * Processing of one delivered message starts: starts the CONSUMER span, parented to the producer's context
     * when the message carries a valid one, and makes it current on this thread until {@link #endProcess}.
     */
    public Object startProcess(String system, String destination, Object traceparent, Object tracestate,
                               Object baggage, long sentAtMillis, String messageId) {
        return null;
    }

    public void endProcess(Object handle, Throwable error) {
    }

    /**
     * Kafka: a poll that started at {@code startNanos} returned {@code count} records: starts its receive span
     * (only when {@code count > 0} or it failed) and returns the handle, to be given the records' contexts with
     * {@link #link} and ended with {@link #endReceive}; {@code destination} is the topic when all records share one.
     */
    public Object polled(String system, String destination, long startNanos, int count) {
        return null;
    }

    /** Links the span of {@code handle} to a message's producer context (ignored when absent or invalid). */
    public void link(Object handle, Object traceparent, Object tracestate) {
    }

    /**
     * Kafka: iteration over polled records moved to the next record: ends the process span of the previous record
     * iterated on this thread and starts (and makes current) the one of this record. The span stays open until the
     * next record, the end of the iteration ({@link #recordsDone()}) or the next poll on this thread.
     */
    public Object nextRecord(String system, String destination, Object traceparent, Object tracestate,
                             Object baggage, long sentAtMillis) {
        return null;
    }

    /** Kafka: iteration ended, or a new poll starts: ends the open process span of this thread, if any. */
    public void recordsDone() {
    }

    /**
     * RabbitMQ's {@code messaging.destination.name}: {@code exchange:routingKey[:queue]} from the parts that are
     * present and non-empty ({@code amq.default} for the default exchange when nothing else is known).
     */
    public static String rabbitMqDestination(String exchange, String routingKey, String queue) {
        StringBuilder out = new StringBuilder();
        for (String part : new String[] {exchange, routingKey, queue}) {
            if (part != null && !part.isEmpty()) {
                if (out.length() > 0) {
                    out.append(':');
                }
                out.append(part);
            }
        }
        return out.length() == 0 ? "amq.default" : out.toString();
    }
}
