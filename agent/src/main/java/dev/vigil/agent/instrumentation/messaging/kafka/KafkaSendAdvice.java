package dev.vigil.agent.instrumentation.messaging.kafka;

import dev.vigil.bridge.CallDepth;
import dev.vigil.bridge.Hooks;
import net.bytebuddy.asm.Advice;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;

import java.nio.charset.StandardCharsets;

/**
 * {@code KafkaProducer.send(record, callback)}: the PRODUCER span covers handing the record to the producer (the
 * send is asynchronous); its context goes into the record's headers, replacing any earlier value.
 */
public final class KafkaSendAdvice {
    private KafkaSendAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static Object enter(@Advice.Argument(0) ProducerRecord<?, ?> record) {
        if (CallDepth.MESSAGING_SEND.enter() != 0 || record == null) {
            return null;
        }
        Object handle = Hooks.messaging.startSend("kafka", record.topic(), false);
        if (record.partition() != null) {
            Hooks.messaging.attribute(handle, "messaging.destination.partition.id", record.partition().toString());
        }
        String[] fields = Hooks.messaging.injectFields(handle);
        try {
            Headers headers = record.headers();
            for (int i = 0; fields != null && i + 1 < fields.length; i += 2) {
                headers.remove(fields[i]);
                headers.add(fields[i], fields[i + 1].getBytes(StandardCharsets.UTF_8));
            }
        } catch (IllegalStateException readOnly) {
            // a record sent a second time: its headers are read-only, it keeps the first context
        }
        return handle;
    }

    @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
    public static void exit(@Advice.Enter Object handle, @Advice.Thrown Throwable error) {
        CallDepth.MESSAGING_SEND.exit();
        if (handle != null) {
            Hooks.messaging.endSend(handle, null, error);
        }
    }
}
