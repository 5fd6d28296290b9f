package dev.vigil.agent.instrumentation.messaging.rabbitmq;

import dev.vigil.agent.instrumentation.SuperTypeNames;
import dev.vigil.agent.instrumentation.ClassLoaderHas;
import dev.vigil.agent.instrumentation.Candidates;
import dev.vigil.agent.instrumentation.VigilInstrumentation;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

import java.util.List;
import java.util.Map;

import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.isDeclaredBy;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * RabbitMQ Java client 5.x: {@code ChannelN.basicPublish} (the implementation every channel, recovering or not,
 * delegates to), {@code ChannelN.basicGet}, and {@code handleDelivery} of every {@code Consumer} implementation
 * (including the client's own wrapper around {@code DeliverCallback} lambdas).
 */
public final class RabbitMqInstrumentation implements VigilInstrumentation {
    /** The library's package: its class files name it, its types live in it. */
    private static final String PKG = "com.rabbitmq.client.";
    static final String CHANNEL = "com.rabbitmq.client.impl.ChannelN";
    static final String PROPERTIES = "com.rabbitmq.client.AMQP$BasicProperties";

    @Override
    public String name() {
        return "rabbitmq";
    }

    @Override
    public Candidates candidates() {
        return Candidates.named(CHANNEL).or(Candidates.referencing(PKG));
    }

    @Override
    public ElementMatcher<TypeDescription> types() {
        return named(CHANNEL).or(SuperTypeNames.classesInheriting(List.of(PKG),
                "com.rabbitmq.client.Consumer"));
    }

    @Override
    public ElementMatcher<ClassLoader> classLoaders() {
        return ClassLoaderHas.classNamed("com.rabbitmq.client.Channel");
    }

    @Override
    public Map<ElementMatcher<? super MethodDescription>, String> advice() {
        return Map.of(
                named("basicPublish").and(isDeclaredBy(named(CHANNEL))).and(takesArguments(6).or(takesArguments(7)))
                        .and(takesArgument(4, named(PROPERTIES))),
                RabbitMqPublishAdvice.class.getName(),
                named("basicGet").and(isDeclaredBy(named(CHANNEL))).and(takesArguments(2)),
                RabbitMqGetAdvice.class.getName(),
                named("handleDelivery").and(not(isAbstract())).and(takesArguments(4))
                        .and(takesArgument(1, named("com.rabbitmq.client.Envelope")))
                        .and(takesArgument(2, named(PROPERTIES))),
                RabbitMqDeliveryAdvice.class.getName());
    }
}
