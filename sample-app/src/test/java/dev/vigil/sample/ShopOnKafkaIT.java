package dev.vigil.sample;

import dev.vigil.testing.EmbeddedKafka;

/** The shop with its queue on Kafka ({@code broker=kafka://…}, a KRaft broker run by the test) and H2. */
class ShopOnKafkaIT extends ShopTraceContract {
    EmbeddedKafka kafka;

    @Override
    String infrastructure(int h2Port, int brokerPort) throws Exception {
        kafka = EmbeddedKafka.start();
        return "h2.port=" + h2Port + ",broker=kafka://" + kafka.bootstrapServers();
    }

    @Override
    void stopInfrastructure() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Override
    String databaseSystem() {
        return "h2database";
    }

    @Override
    String messagingSystem() {
        return "kafka";
    }
}
