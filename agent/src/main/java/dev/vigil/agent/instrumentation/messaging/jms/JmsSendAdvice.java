package dev.vigil.agent.instrumentation.messaging.jms;

import dev.vigil.bridge.CallDepth;
import dev.vigil.bridge.Hooks;
import jakarta.jms.Destination;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TemporaryTopic;
import jakarta.jms.Topic;
import net.bytebuddy.asm.Advice;

/** {@code MessageProducer.send(Message, ...)}: the producer's own destination. */
public final class JmsSendAdvice {
    private JmsSendAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static Object enter(@Advice.This MessageProducer producer, @Advice.Argument(0) Message message)
            throws JMSException {
        if (CallDepth.MESSAGING_SEND.enter() != 0) {
            return null;
        }
        Destination d = producer.getDestination();
        Object handle = Hooks.messaging.startSend("jms", d instanceof Queue ? ((Queue) d).getQueueName()
                : d instanceof Topic ? ((Topic) d).getTopicName() : null,
                d instanceof TemporaryQueue || d instanceof TemporaryTopic);
        String[] fields = Hooks.messaging.injectFields(handle);
        try {
            for (int i = 0; fields != null && i + 1 < fields.length; i += 2) {
                message.setStringProperty(fields[i], fields[i + 1]);
            }
        } catch (JMSException readOnly) {
            // a received message sent on: its properties are read-only, it travels without the context
        }
        return handle;
    }

    @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
    public static void exit(@Advice.Enter Object handle, @Advice.Argument(0) Message message,
                            @Advice.Thrown Throwable error) throws JMSException {
        CallDepth.MESSAGING_SEND.exit();
        if (handle != null) {
            Hooks.messaging.endSend(handle, message.getJMSMessageID(), error);
        }
    }
}
