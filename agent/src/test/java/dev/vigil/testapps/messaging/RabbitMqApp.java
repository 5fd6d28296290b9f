package dev.vigil.testapps.messaging;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.Map;

/**
 * A plain RabbitMQ application (no tracing code) against the broker at {@code args[1]} (an amqp:// URI). Queues
 * are declared non-durable and expire a minute after their last use.
 * <ul>
 *   <li>{@code producer <uri>}: HTTP server; {@code GET /send?queue=q&body=b[&timestamp=1]} publishes to the
 *   default exchange with routing key q (no properties at all, or properties with a timestamp and an
 *   application header);</li>
 *   <li>{@code consumer <uri> <consumeQueue> <getQueue>}: {@code basicConsume} with a {@code DeliverCallback}
 *   lambda on the first queue, a thread polling {@code basicGet} on the second; prints
 *   {@code PROCESSED <queue> <body> <app-header>} / {@code RECEIVED <queue> <body>};</li>
 *   <li>{@code send <uri> <queue> <body> [traceparent]}: publishes one message (optionally with a raw
 *   {@code traceparent} header, as a foreign producer might) and exits.</li>
 * </ul>
 */
public final class RabbitMqApp {
    static final Map<String, Object> QUEUE_ARGS = Map.of("x-expires", 60_000);

    public static void main(String[] args) throws Exception {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setUri(args[1]);
        Connection connection = factory.newConnection();
        switch (args[0]) {
            case "producer" -> producer(connection);
            case "consumer" -> consumer(connection, args[2], args[3]);
            case "send" -> {
                try (Channel channel = connection.createChannel()) {
                    channel.queueDeclare(args[2], false, false, false, QUEUE_ARGS);
                    AMQP.BasicProperties props = args.length > 4
                            ? new AMQP.BasicProperties.Builder().headers(Map.of("traceparent", args[4])).build() : null;
                    channel.basicPublish("", args[2], props, args[3].getBytes(StandardCharsets.UTF_8));
                }
                connection.close();
                System.out.println("SENT " + args[3]);
            }
            default -> throw new IllegalArgumentException(args[0]);
        }
    }

    private static void producer(Connection connection) throws IOException {
        Channel channel = connection.createChannel();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/send", exchange -> {
            Map<String, String> q = Query.parse(exchange.getRequestURI().getRawQuery());
            int status = 200;
            String text = "sent";
            try {
                synchronized (channel) { // a channel is not for concurrent publishing
                    channel.queueDeclare(q.get("queue"), false, false, false, QUEUE_ARGS);
                    AMQP.BasicProperties props = q.containsKey("timestamp")
                            ? new AMQP.BasicProperties.Builder().timestamp(new Date())
                            .headers(Map.of("app-header", "kept")).messageId("m-" + q.get("body")).build()
                            : null;
                    channel.basicPublish("", q.get("queue"), props, q.get("body").getBytes(StandardCharsets.UTF_8));
                }
            } catch (IOException | RuntimeException e) {
                status = 500;
                text = e.toString();
                e.printStackTrace();
            }
            byte[] body = text.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        System.out.println("READY " + server.getAddress().getPort());
    }

    private static void consumer(Connection connection, String consumeQueue, String getQueue) throws Exception {
        Channel consumeChannel = connection.createChannel();
        consumeChannel.queueDeclare(consumeQueue, false, false, false, QUEUE_ARGS);
        consumeChannel.basicConsume(consumeQueue, true, (tag, delivery) -> {
            Map<String, Object> headers = delivery.getProperties().getHeaders();
            System.out.println("PROCESSED " + consumeQueue + " " + new String(delivery.getBody(), StandardCharsets.UTF_8)
                    + " " + (headers == null ? null : headers.get("app-header")));
        }, tag -> { });
        Channel getChannel = connection.createChannel();
        getChannel.queueDeclare(getQueue, false, false, false, QUEUE_ARGS);
        System.out.println("READY 0");
        while (true) {
            GetResponse response = getChannel.basicGet(getQueue, true);
            if (response != null) {
                System.out.println("RECEIVED " + getQueue + " " + new String(response.getBody(), StandardCharsets.UTF_8));
            } else {
                Thread.sleep(100); // basicGet does not wait: poll
            }
        }
    }
}
