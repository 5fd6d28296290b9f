package dev.vigil.sample;

import jakarta.jms.JMSContext;
import jakarta.jms.JMSRuntimeException;
import jakarta.jms.Queue;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;

import java.util.function.Consumer;

/** The order queue on an ActiveMQ Artemis broker through the Jakarta JMS client. */
final class ArtemisQueue implements OrderQueue {
    private final ActiveMQConnectionFactory factory;
    private JMSContext consumerContext;

    ArtemisQueue(String url) {
        factory = new ActiveMQConnectionFactory(url);
        factory.setReconnectAttempts(10); // survives a broker restart, yet lets shutdown finish when it is gone
    }

    @Override
    public void publish(String event) {
        try (JMSContext jms = factory.createContext()) {
            Queue queue = jms.createQueue(NAME);
            jms.createProducer().send(queue, event);
        }
    }

    @Override
    public void consume(Consumer<String> handler) throws InterruptedException {
        consumerContext = connect();
        consumerContext.createConsumer(consumerContext.createQueue(NAME)).setMessageListener(message -> {
            try {
                handler.accept(message.getBody(String.class));
            } catch (Exception e) {
                System.err.println("worker: unreadable message: " + e);
            }
        });
    }

    private JMSContext connect() throws InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try {
                return factory.createContext();
            } catch (JMSRuntimeException e) {
                if (attempt >= 60) {
                    throw e;
                }
                Thread.sleep(500); // the broker (in the orders service) is still starting
            }
        }
    }

    @Override
    public void close() {
        if (consumerContext != null) {
            consumerContext.close();
        }
        factory.close();
    }
}
