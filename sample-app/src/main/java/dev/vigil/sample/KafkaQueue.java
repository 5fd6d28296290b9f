package dev.vigil.sample;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** The order queue as a Kafka topic; the worker is one consumer group polling on its own thread. */
final class KafkaQueue implements OrderQueue {
    private final String servers;
    private KafkaProducer<String, String> producer;
    private KafkaConsumer<String, String> consumer;
    private Thread poller;

    KafkaQueue(String servers) {
        this.servers = servers;
    }

    @Override
    public void publish(String event) throws Exception {
        producer().send(new ProducerRecord<>(NAME, event)).get(10, TimeUnit.SECONDS);
    }

    private synchronized KafkaProducer<String, String> producer() {
        if (producer == null) { // only the orders service publishes
            producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers,
                    ProducerConfig.CLIENT_ID_CONFIG, "orders"), new StringSerializer(), new StringSerializer());
        }
        return producer;
    }

    @Override
    public void consume(Consumer<String> handler) {
        consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers,
                ConsumerConfig.GROUP_ID_CONFIG, "worker", ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new StringDeserializer(), new StringDeserializer());
        consumer.subscribe(List.of(NAME));
        poller = new Thread(() -> {
            try {
                while (true) {
                    for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofSeconds(1))) {
                        handler.accept(record.value());
                    }
                }
            } catch (WakeupException stopping) {
                // close() asked the loop to end
            } finally {
                consumer.close(Duration.ofSeconds(Lifecycle.GRACE_SECONDS));
            }
        }, "orders-consumer");
        poller.start();
    }

    @Override
    public synchronized void close() throws InterruptedException {
        if (producer != null) {
            producer.close(Duration.ofSeconds(Lifecycle.GRACE_SECONDS));
        }
        if (consumer != null) {
            consumer.wakeup();
            poller.join(TimeUnit.SECONDS.toMillis(Lifecycle.GRACE_SECONDS));
        }
    }
}
