package dev.vigil.agent.instrumentation.messaging.jms;

import dev.vigil.bridge.CallDepth;
import dev.vigil.bridge.Hooks;
import jakarta.jms.Destination;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.Queue;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TemporaryTopic;
import jakarta.jms.Topic;
import net.bytebuddy.asm.Advice;

/** {@code MessageListener.onMessage}: the CONSUMER process span, current while the listener runs. */
public final class JmsListenerAdvice {
    private JmsListenerAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static Object enter(@Advice.Argument(0) Message message) throws JMSException {
        if (CallDepth.MESSAGING_PROCESS.enter() != 0 || message == null) {
            return null;
        }
        Destination d = message.getJMSDestination();
        return Hooks.messaging.startProcess("jms", d instanceof TemporaryQueue || d instanceof TemporaryTopic
                        ? "(temporary)" : d instanceof Queue ? ((Queue) d).getQueueName()
                        : d instanceof Topic ? ((Topic) d).getTopicName() : null,
                message.getStringProperty("traceparent"), message.getStringProperty("tracestate"),
                message.getStringProperty("baggage"), message.getJMSTimestamp(), message.getJMSMessageID());
    }

    @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
    public static void exit(@Advice.Enter Object handle, @Advice.Thrown Throwable error) {
        CallDepth.MESSAGING_PROCESS.exit();
        Hooks.messaging.endProcess(handle, error);
    }
}
