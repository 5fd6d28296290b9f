package dev.vigil.sample;

import java.util.function.Consumer;

/**
 * The queue between orders and worker, chosen by the scheme of {@code broker=}: {@code tcp://…} an ActiveMQ
 * Artemis broker over JMS (the default: embedded in the orders service), {@code amqp://…} RabbitMQ,
 * {@code kafka://host:port[,host:port]} Kafka. Each is a real client over a real connection, so the agent traces
 * it as it would in production.
 */
interface OrderQueue extends AutoCloseable {
    String NAME = "orders";

    /** Publishes one order event; safe to call from any request thread. */
    void publish(String event) throws Exception;

    /** Delivers every event to {@code handler} on the client's own consumer thread(s). */
    void consume(Consumer<String> handler) throws Exception;

    @Override
    void close() throws Exception;

    /** The broker URL: {@code broker=…}, else the embedded Artemis broker on {@code broker.port} (61616). */
    static String url(Options options) {
        return options.get("broker", "tcp://localhost:" + options.getInt("broker.port", 61616));
    }

    /** The URL for printing: any {@code user:password@} removed. */
    static String printable(String url) {
        return url.replaceFirst("//[^/@]*@", "//");
    }

    static OrderQueue connect(Options options) throws Exception {
        String url = url(options);
        if (url.startsWith("amqp://") || url.startsWith("amqps://")) {
            return new RabbitQueue(url);
        }
        if (url.startsWith("kafka://")) {
            return new KafkaQueue(url.substring("kafka://".length()));
        }
        if (url.startsWith("tcp://")) {
            return new ArtemisQueue(url);
        }
        throw new IllegalArgumentException("broker=" + url + ": expected tcp:// (Artemis), amqp:// (RabbitMQ) or kafka://");
    }
}
