package dev.vigil.sample;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;

import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * The order queue on RabbitMQ ({@code amqp://user:password@host:port/vhost}): a durable queue on the default
 * exchange. A channel is not thread-safe, so publishing borrows one channel under a lock; consuming has its own.
 */
final class RabbitQueue implements OrderQueue {
    private final Connection connection;
    private final Channel publishChannel;

    RabbitQueue(String url) throws Exception {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setUri(url);
        factory.setAutomaticRecoveryEnabled(true);
        connection = factory.newConnection("vigil-shop");
        publishChannel = connection.createChannel();
        publishChannel.queueDeclare(NAME, true, false, false, null);
    }

    @Override
    public void publish(String event) throws Exception {
        synchronized (publishChannel) {
            publishChannel.basicPublish("", NAME, new AMQP.BasicProperties.Builder().contentType("application/json")
                    .deliveryMode(2).build(), event.getBytes(StandardCharsets.UTF_8));
        }
    }

    @Override
    public void consume(Consumer<String> handler) throws Exception {
        Channel channel = connection.createChannel();
        channel.queueDeclare(NAME, true, false, false, null);
        channel.basicQos(16);
        channel.basicConsume(NAME, false, new DefaultConsumer(channel) {
            @Override
            public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties properties, byte[] body)
                    throws java.io.IOException {
                try {
                    handler.accept(new String(body, StandardCharsets.UTF_8));
                } finally {
                    getChannel().basicAck(envelope.getDeliveryTag(), false);
                }
            }
        });
    }

    @Override
    public void close() throws Exception {
        connection.close(Lifecycle.GRACE_SECONDS * 1000);
    }
}
