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
 * Platform threads: {@code Thread.start()} (and the {@code start(ThreadContainer)} of thread-per-task executors
 * on 21+) captures, {@code Thread.run()} restores on the new thread. Pool workers are excluded by the hook.
 */
public final class ThreadInstrumentation implements VigilInstrumentation {
    static final String THREAD = "java.lang.Thread";

    @Override
    public String name() {
        return "thread";
    }

    @Override
    public Candidates candidates() {
        return Candidates.named(THREAD);
    }

    @Override
    public Map<ElementMatcher<? super MethodDescription>, String> advice() {
        return Map.of(
                named("start").and(isDeclaredBy(named(THREAD))), CaptureThisAdvice.class.getName(),
                named("run").and(takesArguments(0)).and(isDeclaredBy(named(THREAD))), RestoreThisAdvice.class.getName());
    }
}
