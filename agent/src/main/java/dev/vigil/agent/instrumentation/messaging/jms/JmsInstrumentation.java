package dev.vigil.agent.instrumentation.messaging.jms;

import dev.vigil.agent.instrumentation.SuperTypeNames;
import dev.vigil.agent.instrumentation.ClassLoaderHas;
import dev.vigil.agent.instrumentation.Candidates;
import dev.vigil.agent.instrumentation.VigilInstrumentation;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

import java.util.List;
import java.util.Map;

import static net.bytebuddy.matcher.ElementMatchers.hasSuperType;
import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.isDeclaredBy;
import static net.bytebuddy.matcher.ElementMatchers.isPublic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.returns;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * Jakarta Messaging (JMS 3, {@code jakarta.jms}), whatever the provider: {@code MessageProducer.send} (inject into
 * message properties), {@code MessageConsumer.receive*} and {@code MessageListener.onMessage} implementations;
 * for Artemis also its listener wrapper, so that lambda listeners are traced.
 */
public final class JmsInstrumentation implements VigilInstrumentation {
    /** The library's package: its class files name it, its types live in it. */
    private static final String PKG = "jakarta.jms.";
    static final String MESSAGE = "jakarta.jms.Message";
    /** Calls the application's listener, also when it is a lambda (which cannot be instrumented). */
    static final String ARTEMIS_LISTENER_WRAPPER = "org.apache.activemq.artemis.jms.client.JMSMessageListenerWrapper";

    @Override
    public String name() {
        return "jms";
    }

    @Override
    public Candidates candidates() {
        return Candidates.named(ARTEMIS_LISTENER_WRAPPER).or(Candidates.referencing(PKG));
    }

    @Override
    public ElementMatcher<TypeDescription> types() {
        // fail-safe: a class whose super types are missing from its loader is simply not a JMS type
        return named(ARTEMIS_LISTENER_WRAPPER).or(SuperTypeNames.classesInheriting(List.of(PKG),
                "jakarta.jms.MessageProducer", "jakarta.jms.MessageConsumer", "jakarta.jms.MessageListener"));
    }

    @Override
    public ElementMatcher<ClassLoader> classLoaders() {
        return ClassLoaderHas.classNamed("jakarta.jms.Message");
    }

    @Override
    public Map<ElementMatcher<? super MethodDescription>, String> advice() {
        return Map.of(
                named("send").and(isPublic()).and(not(isAbstract())).and(takesArgument(0, named(MESSAGE)))
                        .and(isDeclaredByImplementorOf("jakarta.jms.MessageProducer")),
                JmsSendAdvice.class.getName(),
                named("send").and(isPublic()).and(not(isAbstract())).and(takesArgument(0, named("jakarta.jms.Destination")))
                        .and(takesArgument(1, named(MESSAGE)))
                        .and(isDeclaredByImplementorOf("jakarta.jms.MessageProducer")),
                JmsSendToDestinationAdvice.class.getName(),
                namedOneOf("receive", "receiveNoWait").and(isPublic()).and(not(isAbstract()))
                        .and(returns(named(MESSAGE)))
                        .and(isDeclaredByImplementorOf("jakarta.jms.MessageConsumer")),
                JmsReceiveAdvice.class.getName(),
                named("onMessage").and(isPublic()).and(not(isAbstract())).and(takesArguments(1))
                        .and(takesArgument(0, named(MESSAGE))),
                JmsListenerAdvice.class.getName(),
                named("onMessage").and(isDeclaredBy(named(ARTEMIS_LISTENER_WRAPPER))).and(takesArguments(1))
                        .and(takesArgument(0, named("org.apache.activemq.artemis.api.core.client.ClientMessage"))),
                ArtemisListenerAdvice.class.getName());
    }

    private static ElementMatcher<MethodDescription> isDeclaredByImplementorOf(String type) {
        return isDeclaredBy(hasSuperType(named(type)));
    }
}
