package dev.vigil.testapps.messaging;

import com.sun.net.httpserver.HttpServer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * A plain Kafka application (no tracing code) against the broker at {@code args[1]} (bootstrap servers).
 * <ul>
 *   <li>{@code producer <servers>}: HTTP server; {@code GET /send?topic=t&body=b} sends one record and waits for
 *   its acknowledgement;</li>
 *   <li>{@code consumer <servers> <topic>}: polls and iterates over the records; prints
 *   {@code PROCESSED <topic> <value>};</li>
 *   <li>{@code send <servers> <topic> <value> [traceparent]}: sends one record (optionally with a raw
 *   {@code traceparent} header, as a foreign producer might) and exits.</li>
 * </ul>
 */
public final class KafkaApp {
    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "producer" -> producer(args[1]);
            case "consumer" -> consumer(args[1], args[2]);
            case "send" -> {
                try (KafkaProducer<String, String> producer = newProducer(args[1])) {
                    ProducerRecord<String, String> record = new ProducerRecord<>(args[2], args[3]);
                    if (args.length > 4) {
                        record.headers().add("traceparent", args[4].getBytes(StandardCharsets.UTF_8));
                    }
                    producer.send(record).get();
                }
                System.out.println("SENT " + args[3]);
            }
            default -> throw new IllegalArgumentException(args[0]);
        }
    }

    static KafkaProducer<String, String> newProducer(String servers) {
        Properties p = new Properties();
        p.putAll(Map.of("bootstrap.servers", servers, "key.serializer", StringSerializer.class.getName(),
                "value.serializer", StringSerializer.class.getName(), "linger.ms", "0"));
        return new KafkaProducer<>(p);
    }

    private static void producer(String servers) throws Exception {
        KafkaProducer<String, String> producer = newProducer(servers);
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/send", exchange -> {
            Map<String, String> q = Query.parse(exchange.getRequestURI().getRawQuery());
            int status = 200;
            String text = "sent";
            try {
                producer.send(new ProducerRecord<>(q.get("topic"), q.get("body"))).get();
            } catch (Exception e) {
                status = 500;
                text = e.toString();
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

    private static void consumer(String servers, String topic) {
        Properties p = new Properties();
        p.putAll(Map.of("bootstrap.servers", servers, "group.id", "vigil-it", "auto.offset.reset", "earliest",
                "key.deserializer", StringDeserializer.class.getName(),
                "value.deserializer", StringDeserializer.class.getName()));
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p)) {
            consumer.subscribe(List.of(topic));
            System.out.println("READY 0");
            while (true) {
                ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(200));
                for (ConsumerRecord<String, String> record : records) {
                    System.out.println("PROCESSED " + record.topic() + " " + record.value());
                }
            }
        }
    }
}
