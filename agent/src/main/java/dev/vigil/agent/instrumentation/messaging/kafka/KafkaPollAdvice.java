package dev.vigil.agent.instrumentation.messaging.kafka;

import dev.vigil.bridge.Hooks;
import net.bytebuddy.asm.Advice;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;

/**
 * {@code KafkaConsumer.poll(Duration)}: ends the last record's process span, then a receive span per non-empty
 * poll, linked to the producer context of each record. Records are read through {@code records(partition)}
 * (plain lists), never through the traced iterator.
 */
public final class KafkaPollAdvice {
    private KafkaPollAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static long enter() {
        Hooks.messaging.recordsDone();
        return System.nanoTime();
    }

    @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
    public static void exit(@Advice.Enter long startNanos, @Advice.Return ConsumerRecords<?, ?> records,
                            @Advice.Thrown Throwable error) {
        if (records == null || records.isEmpty()) {
            return;
        }
        String topic = null;
        for (TopicPartition partition : records.partitions()) {
            if (topic != null && !topic.equals(partition.topic())) {
                topic = null;
                break;
            }
            topic = partition.topic();
        }
        Object handle = Hooks.messaging.polled("kafka", topic, startNanos, records.count());
        for (TopicPartition partition : records.partitions()) {
            for (ConsumerRecord<?, ?> record : records.records(partition)) {
                Header traceparent = record.headers().lastHeader("traceparent");
                Header tracestate = record.headers().lastHeader("tracestate");
                Hooks.messaging.link(handle, traceparent == null ? null : traceparent.value(),
                        tracestate == null ? null : tracestate.value());
            }
        }
        Hooks.messaging.endReceive(handle, error);
    }
}
