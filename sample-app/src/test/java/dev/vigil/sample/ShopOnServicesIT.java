package dev.vigil.sample;

/**
 * The shop on the loopback PostgreSQL (database {@code test}) and RabbitMQ services, as a user running their own
 * would point it; run by {@code mvn verify -Pservices}, failing when a service is down.
 */
class ShopOnServicesIT extends ShopTraceContract {
    @Override
    String infrastructure(int h2Port, int brokerPort) {
        return "jdbc=jdbc:postgresql://127.0.0.1:5432/test,jdbc.user=postgres,"
                + "broker=amqp://guest:guest@127.0.0.1:5672";
    }

    @Override
    String databaseSystem() {
        return "postgresql";
    }

    @Override
    String messagingSystem() {
        return "rabbitmq";
    }
}
