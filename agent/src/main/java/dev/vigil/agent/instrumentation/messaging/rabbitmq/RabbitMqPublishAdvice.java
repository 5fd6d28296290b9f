package dev.vigil.agent.instrumentation.messaging.rabbitmq;

import com.rabbitmq.client.AMQP;
import dev.vigil.bridge.CallDepth;
import dev.vigil.bridge.Hooks;
import dev.vigil.bridge.MessagingHook;
import net.bytebuddy.asm.Advice;

import java.util.Map;

/**
 * {@code basicPublish}: the properties are immutable and may be null, so the advice replaces the argument with a
 * copy whose headers map is a new map holding the propagation fields.
 */
public final class RabbitMqPublishAdvice {
    private RabbitMqPublishAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static Object enter(@Advice.Argument(0) String exchange, @Advice.Argument(1) String routingKey,
                               @Advice.Argument(value = 4, readOnly = false) AMQP.BasicProperties properties) {
        if (CallDepth.MESSAGING_SEND.enter() != 0) {
            return null;
        }
        Object handle = Hooks.messaging.startSend("rabbitmq",
                MessagingHook.rabbitMqDestination(exchange, routingKey, null), false);
        Hooks.messaging.attribute(handle, "messaging.rabbitmq.destination.routing_key", routingKey);
        Map<String, Object> headers = properties == null ? null : properties.getHeaders();
        Map<String, Object> traced = Hooks.messaging.headersWith(handle, headers);
        if (traced != null && traced != headers) {
            properties = (properties == null ? new AMQP.BasicProperties.Builder() : properties.builder())
                    .headers(traced).build();
        }
        return handle;
    }

    @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
    public static void exit(@Advice.Enter Object handle, @Advice.Argument(4) AMQP.BasicProperties properties,
                            @Advice.Thrown Throwable error) {
        CallDepth.MESSAGING_SEND.exit();
        if (handle != null) {
            Hooks.messaging.endSend(handle, properties == null ? null : properties.getMessageId(), error);
        }
    }
}
