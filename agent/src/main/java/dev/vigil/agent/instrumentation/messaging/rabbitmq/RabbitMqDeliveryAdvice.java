package dev.vigil.agent.instrumentation.messaging.rabbitmq;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Envelope;
import dev.vigil.bridge.CallDepth;
import dev.vigil.bridge.Hooks;
import dev.vigil.bridge.MessagingHook;
import net.bytebuddy.asm.Advice;

import java.util.Date;
import java.util.Map;

/** {@code Consumer.handleDelivery}: the CONSUMER process span, current while the consumer runs. */
public final class RabbitMqDeliveryAdvice {
    private RabbitMqDeliveryAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static Object enter(@Advice.Argument(1) Envelope envelope,
                               @Advice.Argument(2) AMQP.BasicProperties properties) {
        if (CallDepth.MESSAGING_PROCESS.enter() != 0 || envelope == null) {
            return null;
        }
        Map<String, Object> headers = properties == null ? null : properties.getHeaders();
        Date sentAt = properties == null ? null : properties.getTimestamp();
        Object handle = Hooks.messaging.startProcess("rabbitmq",
                MessagingHook.rabbitMqDestination(envelope.getExchange(), envelope.getRoutingKey(), null),
                headers == null ? null : headers.get("traceparent"), headers == null ? null : headers.get("tracestate"),
                headers == null ? null : headers.get("baggage"), sentAt == null ? 0L : sentAt.getTime(),
                properties == null ? null : properties.getMessageId());
        Hooks.messaging.attribute(handle, "messaging.rabbitmq.destination.routing_key", envelope.getRoutingKey());
        Hooks.messaging.attribute(handle, "messaging.rabbitmq.message.delivery_tag", envelope.getDeliveryTag());
        return handle;
    }

    @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
    public static void exit(@Advice.Enter Object handle, @Advice.Thrown Throwable error) {
        CallDepth.MESSAGING_PROCESS.exit();
        Hooks.messaging.endProcess(handle, error);
    }
}
