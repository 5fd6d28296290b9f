package dev.vigil.agent.instrumentation.concurrent;

import dev.vigil.agent.instrumentation.Candidates;
import dev.vigil.agent.instrumentation.VigilInstrumentation;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.matcher.ElementMatcher;

import java.util.Map;

import static net.bytebuddy.matcher.ElementMatchers.isDeclaredBy;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * Virtual threads (Java 21+; the type does not exist before, so nothing matches on 17): {@code start} captures,
 * the private {@code run(Runnable)} that the continuation calls restores on the virtual thread itself, and the
 * scope ends with the thread. Mount/unmount, the scheduler and the carrier threads are not touched.
 */
public final class VirtualThreadInstrumentation implements VigilInstrumentation {
    static final String VIRTUAL_THREAD = "java.lang.VirtualThread";

    @Override
    public String name() {
        return "virtualthread";
    }

    @Override
    public Candidates candidates() {
        return Candidates.named(VIRTUAL_THREAD);
    }

    @Override
    public Map<ElementMatcher<? super MethodDescription>, String> advice() {
        return Map.of(
                named("start").and(isDeclaredBy(named(VIRTUAL_THREAD))), CaptureThisAdvice.class.getName(),
                named("run").and(takesArguments(1)).and(isDeclaredBy(named(VIRTUAL_THREAD))),
                RestoreThisAdvice.class.getName());
    }
}
