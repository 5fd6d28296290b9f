package dev.vigil.testapps.messaging;

import com.sun.net.httpserver.HttpServer;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * A plain JMS application (no tracing code), against an Artemis broker at {@code args[1]}.
 * <ul>
 *   <li>{@code producer <url>}: HTTP server; {@code GET /send?queue=q&body=b} sends one text message to q;</li>
 *   <li>{@code consumer <url> <listenQueue> <receiveQueue>}: a {@code MessageListener} on the first queue, a
 *   thread calling {@code receive(timeout)} on the second; prints {@code PROCESSED <queue> <body>} /
 *   {@code RECEIVED <queue> <body>};</li>
 *   <li>{@code send <url> <queue> <body> [traceparent]}: sends one message (optionally with a raw
 *   {@code traceparent} property, as a foreign producer might) and exits.</li>
 * </ul>
 */
public final class JmsApp {
    public static void main(String[] args) throws Exception {
        ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(args[1]);
        Connection connection = factory.createConnection();
        switch (args[0]) {
            case "producer" -> producer(connection);
            case "consumer" -> consumer(connection, args[2], args[3]);
            case "send" -> {
                Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
                try (MessageProducer producer = session.createProducer(session.createQueue(args[2]))) {
                    TextMessage message = session.createTextMessage(args[3]);
                    if (args.length > 4) {
                        message.setStringProperty("traceparent", args[4]);
                    }
                    producer.send(message);
                }
                connection.close();
                System.out.println("SENT " + args[3]);
            }
            default -> throw new IllegalArgumentException(args[0]);
        }
    }

    private static void producer(Connection connection) throws IOException, JMSException {
        Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        MessageProducer producer = session.createProducer(null);
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/send", exchange -> {
            Map<String, String> q = Query.parse(exchange.getRequestURI().getRawQuery());
            int status = 200;
            String text = "sent";
            try {
                synchronized (producer) { // a JMS session is single-threaded
                    producer.send(session.createQueue(q.get("queue")), session.createTextMessage(q.get("body")));
                }
            } catch (JMSException e) {
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

    private static void consumer(Connection connection, String listenQueue, String receiveQueue) throws JMSException {
        Session listenSession = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        MessageConsumer listener = listenSession.createConsumer(listenSession.createQueue(listenQueue));
        listener.setMessageListener(message -> System.out.println("PROCESSED " + listenQueue + " " + text(message)));
        Session receiveSession = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        MessageConsumer receiver = receiveSession.createConsumer(receiveSession.createQueue(receiveQueue));
        Thread pull = new Thread(() -> {
            while (true) {
                try {
                    Message m = receiver.receive(500);
                    if (m != null) {
                        System.out.println("RECEIVED " + receiveQueue + " " + text(m));
                    }
                } catch (JMSException e) {
                    return;
                }
            }
        }, "jms-pull");
        pull.setDaemon(true);
        pull.start();
        connection.start();
        System.out.println("READY 0");
        try {
            Thread.currentThread().join(); // the client's threads are daemons: stay up until stopped
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String text(Message message) {
        try {
            return ((TextMessage) message).getText();
        } catch (JMSException e) {
            return e.toString();
        }
    }
}
