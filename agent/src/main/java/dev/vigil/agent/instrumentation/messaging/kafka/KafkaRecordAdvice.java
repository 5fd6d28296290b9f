package dev.vigil.agent.instrumentation.messaging.kafka;

import dev.vigil.bridge.Hooks;
import net.bytebuddy.asm.Advice;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * {@code makeNext()} of the iterators of {@code ConsumerRecords}: the next record's process span (parented to its
 * producer's context), or the end of the iteration.
 */
public final class KafkaRecordAdvice {
    private KafkaRecordAdvice() {
    }

    @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
    public static void exit(@Advice.Return ConsumerRecord<?, ?> record) {
        if (record == null) {
            Hooks.messaging.recordsDone();
            return;
        }
        Headers headers = record.headers();
        Header traceparent = headers.lastHeader("traceparent");
        Header tracestate = headers.lastHeader("tracestate");
        Header baggage = headers.lastHeader("baggage");
        Object handle = Hooks.messaging.nextRecord("kafka", record.topic(),
                traceparent == null ? null : traceparent.value(), tracestate == null ? null : tracestate.value(),
                baggage == null ? null : baggage.value(), record.timestamp());
        Hooks.messaging.attribute(handle, "messaging.destination.partition.id", Integer.toString(record.partition()));
        Hooks.messaging.attribute(handle, "messaging.kafka.offset", record.offset());
    }
}
