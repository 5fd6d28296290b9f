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

/** {@code MessageConsumer.receive()/receive(long)/receiveNoWait()}: a span when a message came back. */
public final class JmsReceiveAdvice {
    private JmsReceiveAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static long enter() {
        return CallDepth.MESSAGING_RECEIVE.enter() == 0 ? System.nanoTime() : 0L;
    }

    @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
    public static void exit(@Advice.Enter long startNanos, @Advice.Return Message message,
                            @Advice.Thrown Throwable error) throws JMSException {
        CallDepth.MESSAGING_RECEIVE.exit();
        if (startNanos == 0L || message == null) {
            return;
        }
        Destination d = message.getJMSDestination();
        Object handle = Hooks.messaging.startReceive("jms", d instanceof TemporaryQueue || d instanceof TemporaryTopic
                        ? "(temporary)" : d instanceof Queue ? ((Queue) d).getQueueName()
                        : d instanceof Topic ? ((Topic) d).getTopicName() : null, startNanos,
                message.getStringProperty("traceparent"), message.getStringProperty("tracestate"),
                message.getStringProperty("baggage"), message.getJMSTimestamp(), message.getJMSMessageID());
        Hooks.messaging.endReceive(handle, error);
    }
}
