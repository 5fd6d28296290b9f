package dev.vigil.agent.messaging;

import dev.vigil.agent.http.CardinalityLimiter;
import dev.vigil.agent.metrics.Buckets;
import dev.vigil.agent.metrics.MeterKey;
import dev.vigil.agent.metrics.MeterTable;
import dev.vigil.agent.trace.SpanNames;
import dev.vigil.bridge.AgentThread;
import dev.vigil.bridge.MessagingHook;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.context.propagation.TextMapSetter;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Spans and metrics of every instrumented messaging client.
 *
 * <ul>
 *   <li>send: PRODUCER span {@code send <destination>} (child of the current span), whose context is injected into
 *   the message;</li>
 *   <li>receive: CLIENT span {@code receive <destination>} for a receive call that returned a message, parented to
 *   the producer's context when the message carries a valid one (else to the current span);</li>
 *   <li>process: CONSUMER span {@code process <destination>} around a listener/handler call, parented the same way
 *   and current while the application processes the message.</li>
 * </ul>
 *
 * <p>A {@code traceparent} that is present but invalid (malformed, foreign format) never stops consumption: the
 * message is processed under a new trace and {@code vigil.messaging.context.invalid} counts it.
 *
 * <p>Metrics (seconds): {@code messaging.client.operation.duration} (send, receive),
 * {@code messaging.process.duration}, {@code vigil.messaging.queue.time} (producer timestamp to the start of
 * receive/processing; clock skew between hosts clamps to 0). Destination tags are capped at
 * {@value #MAX_DESTINATIONS} distinct values per system, then {@code other}; temporary destinations are
 * {@code (temporary)}. Thread-safe.
 */
public final class MessagingTelemetry extends MessagingHook {
    static final int MAX_DESTINATIONS = 200;
    static final int MAX_LINKS = 128;
    static final String TEMPORARY = "(temporary)";
    static final AttributeKey<String> SYSTEM = AttributeKey.stringKey("messaging.system");
    static final AttributeKey<String> DESTINATION = AttributeKey.stringKey("messaging.destination.name");
    static final AttributeKey<Boolean> DESTINATION_TEMPORARY = AttributeKey.booleanKey("messaging.destination.temporary");
    static final AttributeKey<String> OPERATION_TYPE = AttributeKey.stringKey("messaging.operation.type");
    static final AttributeKey<String> OPERATION_NAME = AttributeKey.stringKey("messaging.operation.name");
    static final AttributeKey<String> MESSAGE_ID = AttributeKey.stringKey("messaging.message.id");
    static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
    private static final Duration[] DURATION_BUCKETS = Buckets.advisedDurations();
    private static final Duration[] QUEUE_TIME_BUCKETS = Buckets.seconds(0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25,
            0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600);

    private final Tracer tracer;
    private final TextMapPropagator propagator;
    private final MeterRegistry registry;
    private final ConcurrentHashMap<String, CardinalityLimiter> destinations = new ConcurrentHashMap<>();
    private final MeterTable<Timer> timers = new MeterTable<>();
    private final ConcurrentHashMap<String, Counter> invalidContexts = new ConcurrentHashMap<>();
    private static final int MAX_CACHED_KEYS = 64;
    private final Map<String, AttributeKey<String>> stringKeys = new ConcurrentHashMap<>();
    private final Map<String, AttributeKey<Long>> longKeys = new ConcurrentHashMap<>();
    /** Kafka: the process span of the record this thread is iterating over (ended by the next one). */
    private final ThreadLocal<Operation> openRecord = new ThreadLocal<>();

    /** One traced operation, held by the advice between start and end. */
    static final class Operation {
        final Span span;
        final Scope scope;
        final long startNanos;
        final String system;
        final String destinationTag;
        final String operationType;
        final String operationName;
        /** Producer span ids already linked (Kafka poll); touched only by the polling thread. */
        private java.util.Set<String> linkedSpanIds;
        int links;

        Operation(Span span, Scope scope, long startNanos, String system, String destinationTag,
                  String operationType, String operationName) {
            this.span = span;
            this.scope = scope;
            this.startNanos = startNanos;
            this.system = system;
            this.destinationTag = destinationTag;
            this.operationType = operationType;
            this.operationName = operationName;
        }

        boolean linked(String spanId) {
            if (linkedSpanIds == null) {
                linkedSpanIds = new java.util.HashSet<>();
            }
            if (!linkedSpanIds.add(spanId)) {
                return false;
            }
            links++;
            return true;
        }
    }

    public MessagingTelemetry(Tracer tracer, TextMapPropagator propagator, MeterRegistry registry) {
        this.tracer = tracer;
        this.propagator = propagator;
        this.registry = registry;
    }

    // ---- send

    @Override
    public Object startSend(String system, String destination, boolean temporaryDestination) {
        if (AgentThread.current()) {
            return null;
        }
        String name = temporaryDestination ? TEMPORARY : destination;
        SpanBuilder builder = tracer.spanBuilder(spanName(operationName(system, "send"), name))
                .setSpanKind(SpanKind.PRODUCER);
        common(builder, system, name, temporaryDestination, "send", operationName(system, "send"));
        return new Operation(builder.startSpan(), null, System.nanoTime(), system, destinationTag(system, name),
                "send", operationName(system, "send"));
    }

    @Override
    public String[] injectFields(Object handle) {
        if (!(handle instanceof Operation)) {
            return null;
        }
        Operation op = (Operation) handle;
        List<String> fields = new ArrayList<>(6);
        propagator.inject(Context.root().with(op.span), fields, LIST_SETTER);
        if (fields.isEmpty()) {
            return null;
        }
        if (op.system.equals("jms")) {
            for (int i = 0; i < fields.size(); i += 2) {
                fields.set(i, PropertyNames.jmsIdentifier(fields.get(i)));
            }
        }
        return fields.toArray(new String[0]);
    }

    @Override
    public Map<String, Object> headersWith(Object handle, Map<String, Object> headers) {
        String[] fields = injectFields(handle);
        if (fields == null) {
            return headers;
        }
        Map<String, Object> copy = headers == null ? new HashMap<>() : new HashMap<>(headers);
        for (int i = 0; i + 1 < fields.length; i += 2) {
            copy.put(fields[i], fields[i + 1]);
        }
        return copy;
    }

    @Override
    public void attribute(Object handle, String key, String value) {
        if (handle instanceof Operation && key != null && value != null) {
            ((Operation) handle).span.setAttribute(key(stringKeys, key, AttributeKey::stringKey), value);
        }
    }

    @Override
    public void attribute(Object handle, String key, long value) {
        if (handle instanceof Operation && key != null) {
            ((Operation) handle).span.setAttribute(key(longKeys, key, AttributeKey::longKey), value);
        }
    }

    /**
     * The key for a name an advice passes (a literal, so a handful): made once, not per call (the SDK would create
     * one per call and the exporter encode its name per span). Unbounded input is not cached.
     */
    private static <T> AttributeKey<T> key(Map<String, AttributeKey<T>> cache, String name,
                                           Function<String, AttributeKey<T>> create) {
        AttributeKey<T> key = cache.get(name);
        if (key == null) {
            key = create.apply(name);
            if (cache.size() < MAX_CACHED_KEYS) {
                cache.put(name, key);
            }
        }
        return key;
    }

    @Override
    public void endSend(Object handle, String messageId, Throwable error) {
        if (!(handle instanceof Operation)) {
            return;
        }
        Operation op = (Operation) handle;
        if (messageId != null) {
            op.span.setAttribute(MESSAGE_ID, messageId);
        }
        end(op, error, "messaging.client.operation.duration", "Duration of messaging send and receive operations");
    }

    // ---- receive

    @Override
    public Object startReceive(String system, String destination, long startNanos, Object traceparent,
                               Object tracestate, Object baggage, long sentAtMillis, String messageId) {
        if (AgentThread.current()) {
            return null;
        }
        String name = destination;
        Context producer = extract(system, traceparent, tracestate, baggage);
        String opName = operationName(system, "receive");
        long nowNanos = System.nanoTime();
        long startEpochNanos = TimeUnit.MILLISECONDS.toNanos(System.currentTimeMillis()) - (nowNanos - startNanos);
        SpanBuilder builder = tracer.spanBuilder(spanName(opName, name))
                .setSpanKind(SpanKind.CLIENT)
                .setStartTimestamp(startEpochNanos, TimeUnit.NANOSECONDS);
        if (producer != null) {
            builder.setParent(producer);
        }
        common(builder, system, name, false, "receive", opName);
        if (messageId != null) {
            builder.setAttribute(MESSAGE_ID, messageId);
        }
        String tag = destinationTag(system, name);
        recordQueueTime(system, tag, sentAtMillis);
        return new Operation(builder.startSpan(), null, startNanos, system, tag, "receive", opName);
    }

    @Override
    public void endReceive(Object handle, Throwable error) {
        if (handle instanceof Operation) {
            end((Operation) handle, error, "messaging.client.operation.duration",
                    "Duration of messaging send and receive operations");
        }
    }

    // ---- process

    @Override
    public Object startProcess(String system, String destination, Object traceparent, Object tracestate,
                               Object baggage, long sentAtMillis, String messageId) {
        if (AgentThread.current()) {
            return null;
        }
        Context producer = extract(system, traceparent, tracestate, baggage);
        Context parent = producer != null ? producer : Context.current();
        String opName = operationName(system, "process");
        SpanBuilder builder = tracer.spanBuilder(spanName(opName, destination))
                .setSpanKind(SpanKind.CONSUMER)
                .setParent(parent);
        common(builder, system, destination, false, "process", opName);
        if (messageId != null) {
            builder.setAttribute(MESSAGE_ID, messageId);
        }
        String tag = destinationTag(system, destination);
        recordQueueTime(system, tag, sentAtMillis);
        Span span = builder.startSpan();
        Scope scope = parent.with(span).makeCurrent();
        return new Operation(span, scope, System.nanoTime(), system, tag, "process", opName);
    }

    @Override
    public void endProcess(Object handle, Throwable error) {
        if (handle instanceof Operation) {
            end((Operation) handle, error, "messaging.process.duration", "Duration of processing one message");
        }
    }

    // ---- Kafka: poll and record iteration

    @Override
    public Object polled(String system, String destination, long startNanos, int count) {
        if (count <= 0) {
            return null;
        }
        Object handle = startReceive(system, destination, startNanos, null, null, null, 0L, null);
        attribute(handle, "messaging.batch.message_count", count);
        return handle;
    }

    /** At most {@value #MAX_LINKS} links per span (the SDK's default limit); repeated contexts are linked once. */
    @Override
    public void link(Object handle, Object traceparent, Object tracestate) {
        if (!(handle instanceof Operation) || traceparent == null) {
            return;
        }
        Operation op = (Operation) handle;
        if (op.links >= MAX_LINKS) {
            return;
        }
        Map<String, String> carrier = new HashMap<>(4);
        put(carrier, "traceparent", traceparent);
        put(carrier, "tracestate", tracestate);
        SpanContext producer = Span.fromContext(propagator.extract(Context.root(), carrier, MapGetter.INSTANCE))
                .getSpanContext();
        if (producer.isValid() && op.linked(producer.getSpanId())) {
            op.span.addLink(producer);
        }
    }

    @Override
    public Object nextRecord(String system, String destination, Object traceparent, Object tracestate,
                             Object baggage, long sentAtMillis) {
        recordsDone();
        Object handle = startProcess(system, destination, traceparent, tracestate, baggage, sentAtMillis, null);
        if (handle instanceof Operation) {
            openRecord.set((Operation) handle);
        }
        return handle;
    }

    @Override
    public void recordsDone() {
        Operation open = openRecord.get();
        if (open != null) {
            openRecord.remove();
            endProcess(open, null);
        }
    }

    // ---- shared

    /**
     * The producer's context carried by a message, or {@code null} when it carries none or an invalid one (counted
     * in {@code vigil.messaging.context.invalid}). Baggage of an invalid trace context is still honoured.
     */
    Context extract(String system, Object traceparent, Object tracestate, Object baggage) {
        if (traceparent == null && baggage == null) {
            return null;
        }
        Map<String, String> carrier = new HashMap<>(4);
        put(carrier, "traceparent", traceparent);
        put(carrier, "tracestate", tracestate);
        put(carrier, "baggage", baggage);
        Context extracted = propagator.extract(Context.root(), carrier, MapGetter.INSTANCE);
        SpanContext sc = Span.fromContext(extracted).getSpanContext();
        if (traceparent != null && !sc.isValid()) {
            invalidContext(system);
        }
        if (!sc.isValid() && extracted == Context.root()) {
            return null;
        }
        if (!sc.isValid()) {
            // only baggage: keep the ambient trace, add the baggage
            return Context.current().with(io.opentelemetry.api.baggage.Baggage.fromContext(extracted));
        }
        return extracted;
    }

    private static void put(Map<String, String> carrier, String key, Object raw) {
        String value = PropertyNames.text(raw);
        if (value != null) {
            carrier.put(key, value);
        }
    }

    private void invalidContext(String system) {
        invalidContexts.computeIfAbsent(system, s -> Counter.builder("vigil.messaging.context.invalid")
                .description("Consumed messages whose trace context was present but invalid (processed under a new trace)")
                .tag("messaging.system", s)
                .register(registry)).increment();
    }

    private void recordQueueTime(String system, String destinationTag, long sentAtMillis) {
        if (sentAtMillis <= 0) {
            return;
        }
        long waitedMillis = Math.max(0, System.currentTimeMillis() - sentAtMillis);
        timer("vigil.messaging.queue.time", "Time a message spent between its producer and the start of its "
                        + "consumption (producer timestamp to receive/process start; 0 when clocks disagree)",
                system, destinationTag, null, null, QUEUE_TIME_BUCKETS).record(waitedMillis, TimeUnit.MILLISECONDS);
    }

    private void end(Operation op, Throwable error, String metric, String description) {
        long elapsedNanos = System.nanoTime() - op.startNanos;
        String errorType = null;
        if (error != null) {
            errorType = error.getClass().getName();
            op.span.setAttribute(ERROR_TYPE, errorType);
            op.span.setStatus(StatusCode.ERROR);
            op.span.recordException(error);
        }
        timer(metric, description, op.system, op.destinationTag, op.operationName, errorType, DURATION_BUCKETS)
                .record(elapsedNanos, TimeUnit.NANOSECONDS);
        if (op.scope != null) {
            op.scope.close();
        }
        op.span.end();
    }

    private Timer timer(String metric, String description, String system, String destination, String operationName,
                        String errorType, Duration[] buckets) {
        Timer timer = timers.get(metric, system, destination, operationName, errorType, 0, 0);
        if (timer == null) {
            timer = timers.add(new MeterKey(metric, system, destination, operationName, errorType, 0, 0), () -> {
                Timer.Builder b = Timer.builder(metric)
                        .description(description)
                        .serviceLevelObjectives(buckets)
                        .tag("messaging.system", system)
                        .tag("messaging.destination.name", destination == null ? "" : destination);
                if (operationName != null) {
                    b.tag("messaging.operation.name", operationName);
                }
                if (!metric.equals("vigil.messaging.queue.time")) {
                    b.tag("error.type", errorType == null ? "" : errorType);
                }
                return b.register(registry);
            });
        }
        return timer;
    }

    private String destinationTag(String system, String destination) {
        if (destination == null) {
            return "";
        }
        return destinations.computeIfAbsent(system, s -> new CardinalityLimiter(MAX_DESTINATIONS)).limit(destination);
    }

    private static void common(SpanBuilder builder, String system, String destination, boolean temporary,
                               String type, String name) {
        builder.setAttribute(SYSTEM, system)
                .setAttribute(OPERATION_TYPE, type)
                .setAttribute(OPERATION_NAME, name);
        if (destination != null) {
            builder.setAttribute(DESTINATION, destination);
        }
        if (temporary) {
            builder.setAttribute(DESTINATION_TEMPORARY, true);
        }
    }

    /** {@code messaging.operation.name}: the system's own name for the operation where the conventions give one. */
    static String operationName(String system, String type) {
        if (system.equals("kafka") && type.equals("receive")) {
            return "poll";
        }
        if (system.equals("rabbitmq") && type.equals("send")) {
            return "publish";
        }
        return type;
    }

    private static final SpanNames SPAN_NAMES = new SpanNames();

    static String spanName(String operationName, String destination) {
        return destination == null || destination.isEmpty() ? operationName : SPAN_NAMES.of(operationName, destination);
    }


    private static final TextMapSetter<List<String>> LIST_SETTER = (carrier, key, value) -> {
        if (carrier != null) {
            carrier.add(key);
            carrier.add(value);
        }
    };

    private enum MapGetter implements io.opentelemetry.context.propagation.TextMapGetter<Map<String, String>> {
        INSTANCE;

        @Override
        public Iterable<String> keys(Map<String, String> carrier) {
            return carrier.keySet();
        }

        @Override
        public String get(Map<String, String> carrier, String key) {
            return carrier == null ? null : carrier.get(key);
        }
    }
}
