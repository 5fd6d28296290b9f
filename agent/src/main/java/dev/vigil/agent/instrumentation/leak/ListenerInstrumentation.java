package dev.vigil.agent.instrumentation.leak;

import dev.vigil.agent.config.Config;
import dev.vigil.agent.config.ConfigKey;
import dev.vigil.agent.instrumentation.Candidates;
import dev.vigil.agent.instrumentation.VigilInstrumentation;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.matcher.ElementMatcher;

import java.util.Map;

import static net.bytebuddy.matcher.ElementMatchers.isPublic;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * Listener registrations on the JDK's listener lists, for leak detection: JavaBeans {@code PropertyChangeSupport}
 * (which most hand-written beans delegate to), Swing's {@code EventListenerList}, {@code java.util.Observable},
 * JMX {@code NotificationBroadcasterSupport}, and {@code Runtime} shutdown hooks. Not woven in when
 * {@code leak.listener.min=0}.
 */
public final class ListenerInstrumentation implements VigilInstrumentation {
    @Override
    public String name() {
        return "listeners";
    }

    @Override
    public boolean wanted(Config config) {
        return config.getInt(ConfigKey.LEAK_LISTENER_MIN) > 0;
    }

    @Override
    public Candidates candidates() {
        return Candidates.named("java.beans.PropertyChangeSupport", "javax.swing.event.EventListenerList",
                "java.util.Observable", "javax.management.NotificationBroadcasterSupport", "java.lang.Runtime");
    }

    @Override
    public Map<ElementMatcher<? super MethodDescription>, String> advice() {
        return Map.of(
                isPublic().and(namedOneOf("addPropertyChangeListener", "addObserver", "addNotificationListener",
                        "addShutdownHook", "removePropertyChangeListener", "deleteObserver", "removeNotificationListener",
                        "removeShutdownHook")).and(takesArguments(1).or(takesArguments(3))),
                ListenerAdvice.class.getName(),
                isPublic().and(namedOneOf("addPropertyChangeListener", "add", "removePropertyChangeListener", "remove"))
                        .and(takesArguments(2)).and(takesArgument(0, String.class).or(takesArgument(0, Class.class))),
                ListenerSecondArgumentAdvice.class.getName());
    }
}
