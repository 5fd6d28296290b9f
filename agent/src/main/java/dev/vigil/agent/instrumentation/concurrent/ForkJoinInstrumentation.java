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
 * {@code ForkJoinPool} and {@code ForkJoinTask}: every submission (execute, submit, invoke, invokeAll, and the
 * adapters around {@code Runnable}/{@code Callable}) goes through {@code externalSubmit(task)} on Java 17 and
 * {@code poolSubmit(signal, task)} or the public {@code externalSubmit(task)} on 19+; {@code fork()} pushes
 * directly. Every task, whoever queued it, runs through {@code doExec()}.
 */
public final class ForkJoinInstrumentation implements VigilInstrumentation {
    static final String POOL = "java.util.concurrent.ForkJoinPool";
    static final String TASK = "java.util.concurrent.ForkJoinTask";

    @Override
    public String name() {
        return "forkjoin";
    }

    @Override
    public Candidates candidates() {
        return Candidates.named(POOL, TASK);
    }

    @Override
    public Map<ElementMatcher<? super MethodDescription>, String> advice() {
        return Map.of(
                named("externalSubmit").and(takesArguments(1)).and(isDeclaredBy(named(POOL))), CaptureTaskAdvice.class.getName(),
                named("poolSubmit").and(takesArguments(2)).and(isDeclaredBy(named(POOL))), CaptureSecondArgumentAdvice.class.getName(),
                named("fork").and(takesArguments(0)).and(isDeclaredBy(named(TASK))), CaptureThisAdvice.class.getName(),
                named("doExec").and(takesArguments(0)).and(isDeclaredBy(named(TASK))), RestoreThisAdvice.class.getName());
    }
}
