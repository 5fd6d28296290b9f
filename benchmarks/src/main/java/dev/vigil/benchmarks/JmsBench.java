package dev.vigil.benchmarks;

import jakarta.jms.JMSContext;
import jakarta.jms.JMSProducer;
import jakarta.jms.Topic;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.concurrent.TimeUnit;

/**
 * A JMS send to an ActiveMQ Artemis broker over TCP, with and without the agent (issue 7); the broker runs in the
 * fork, as in the sample app's orders service.
 * <ul>
 *   <li>{@code send}: one persistent send (the client waits for the broker's answer) on a context kept open;</li>
 *   <li>{@code sendWithTraceparent}: the same with a 55-character string property that the producer sets itself.
 *       Without the agent this is what carrying a trace context costs Artemis, whoever puts it there;</li>
 *   <li>{@code connectAndSend}: opens a context, sends and closes it, as the sample app does for every order.</li>
 * </ul>
 * The topic has no subscriber: the broker binds no queue to it and drops every message, so nothing piles up. With
 * the agent every send makes one PRODUCER span (a root span: no request is active), puts {@code traceparent} into
 * the message and records {@code messaging.client.operation.duration}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 10, time = 1)
@Measurement(iterations = 3, time = 1)
public abstract class JmsBench {
    private static final String TRACEPARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
    private static final String BODY = "{\"order\":1}";

    private EmbeddedActiveMQ broker;
    private ActiveMQConnectionFactory factory;
    private JMSContext context;
    private JMSProducer producer;
    private JMSProducer producerWithProperty;
    private Topic topic;

    abstract boolean withAgent();

    @Setup
    public void setUp() throws Exception {
        AgentFork.expectAgent(withAgent());
        String url = "tcp://127.0.0.1:" + freePort();
        broker = new EmbeddedActiveMQ().setConfiguration(new ConfigurationImpl().setPersistenceEnabled(false)
                .setSecurityEnabled(false).setJMXManagementEnabled(false).addAcceptorConfiguration("tcp", url));
        broker.start();
        factory = new ActiveMQConnectionFactory(url);
        context = factory.createContext();
        topic = context.createTopic("bench");
        producer = context.createProducer();
        producerWithProperty = context.createProducer().setProperty("traceparent", TRACEPARENT);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @TearDown
    public void tearDown() throws Exception {
        context.close();
        factory.close();
        broker.stop();
    }

    @Benchmark
    public JMSProducer send() {
        return producer.send(topic, BODY);
    }

    @Benchmark
    public JMSProducer sendWithTraceparent() {
        return producerWithProperty.send(topic, BODY);
    }

    @Benchmark
    public JMSProducer connectAndSend() {
        try (JMSContext jms = factory.createContext()) {
            return jms.createProducer().send(jms.createTopic("bench"), BODY);
        }
    }

    @Fork(value = 1, jvmArgsAppend = {AgentFork.HEAP_MIN, AgentFork.HEAP_MAX})
    public static class NoAgent extends JmsBench {
        @Override
        boolean withAgent() {
            return false;
        }
    }

    @Fork(value = 1, jvmArgsAppend = {AgentFork.HEAP_MIN, AgentFork.HEAP_MAX, AgentFork.JAVAAGENT})
    public static class Vigil extends JmsBench {
        @Override
        boolean withAgent() {
            return true;
        }
    }
}
