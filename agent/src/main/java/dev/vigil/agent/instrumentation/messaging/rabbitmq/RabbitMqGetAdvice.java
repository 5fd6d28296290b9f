package dev.vigil.agent.instrumentation.messaging.rabbitmq;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.GetResponse;
import dev.vigil.bridge.CallDepth;
import dev.vigil.bridge.Hooks;
import dev.vigil.bridge.MessagingHook;
import net.bytebuddy.asm.Advice;

import java.util.Date;
import java.util.Map;

/** {@code basicGet}: a receive span when a message came back. */
public final class RabbitMqGetAdvice {
    private RabbitMqGetAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static long enter() {
        return CallDepth.MESSAGING_RECEIVE.enter() == 0 ? System.nanoTime() : 0L;
    }

    @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
    public static void exit(@Advice.Enter long startNanos, @Advice.Argument(0) String queue,
                            @Advice.Return GetResponse response, @Advice.Thrown Throwable error) {
        CallDepth.MESSAGING_RECEIVE.exit();
        if (startNanos == 0L || response == null) {
            return;
        }
        Envelope envelope = response.getEnvelope();
        AMQP.BasicProperties properties = response.getProps();
        Map<String, Object> headers = properties == null ? null : properties.getHeaders();
        Date sentAt = properties == null ? null : properties.getTimestamp();
        Object handle = Hooks.messaging.startReceive("rabbitmq",
                MessagingHook.rabbitMqDestination(envelope.getExchange(), envelope.getRoutingKey(), queue), startNanos,
                headers == null ? null : headers.get("traceparent"), headers == null ? null : headers.get("tracestate"),
                headers == null ? null : headers.get("baggage"), sentAt == null ? 0L : sentAt.getTime(),
                properties == null ? null : properties.getMessageId());
        Hooks.messaging.attribute(handle, "messaging.rabbitmq.destination.routing_key", envelope.getRoutingKey());
        Hooks.messaging.endReceive(handle, error);
    }
}
