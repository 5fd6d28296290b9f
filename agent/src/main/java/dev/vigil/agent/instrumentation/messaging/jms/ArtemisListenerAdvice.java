package dev.vigil.agent.instrumentation.messaging.jms;

import dev.vigil.bridge.CallDepth;
import dev.vigil.bridge.Hooks;
import net.bytebuddy.asm.Advice;
import org.apache.activemq.artemis.api.core.client.ClientMessage;

/**
 * Artemis' {@code JMSMessageListenerWrapper.onMessage(ClientMessage)}, which calls the application's
 * {@code MessageListener}: the process span for listeners that are lambdas or method references (hidden classes,
 * which cannot be instrumented themselves). JMS properties are Artemis core properties of the same name; the JMS
 * message id is {@code "ID:" + userID}.
 */
public final class ArtemisListenerAdvice {
    private ArtemisListenerAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static Object enter(@Advice.Argument(0) ClientMessage message) {
        if (CallDepth.MESSAGING_PROCESS.enter() != 0 || message == null) {
            return null;
        }
        Object userId = message.getUserID();
        return Hooks.messaging.startProcess("jms", message.getAddress(), message.getObjectProperty("traceparent"),
                message.getObjectProperty("tracestate"), message.getObjectProperty("baggage"),
                message.getTimestamp(), userId == null ? null : "ID:".concat(userId.toString()));
    }

    @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
    public static void exit(@Advice.Enter Object handle, @Advice.Thrown Throwable error) {
        CallDepth.MESSAGING_PROCESS.exit();
        Hooks.messaging.endProcess(handle, error);
    }
}
