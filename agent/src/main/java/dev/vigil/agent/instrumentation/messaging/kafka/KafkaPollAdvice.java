package dev.vigil.agent.instrumentation.messaging.kafka;

import dev.vigil.bridge.Hooks;
import net.bytebuddy.asm.Advice;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;

/** {@code KafkaConsumer.poll(Duration)}: ends the last record's process span, then a receive span per non-empty poll. */
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
        int count = records == null ? 0 : records.count();
        String topic = null;
        for (TopicPartition partition : count == 0 ? java.util.Collections.<TopicPartition>emptySet() : records.partitions()) {
            if (topic != null && !topic.equals(partition.topic())) {
                topic = null;
                break;
            }
            topic = partition.topic();
        }
        Hooks.messaging.polled("kafka", topic, startNanos, count, error);
    }
}
