package dev.vigil.agent.instrumentation.concurrent;

import dev.vigil.agent.instrumentation.Candidates;
import dev.vigil.agent.instrumentation.VigilInstrumentation;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.matcher.ElementMatcher;

import java.util.Map;

import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.isDeclaredBy;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * {@code CompletableFuture} async stages: {@code supplyAsync}/{@code runAsync} tasks and every
 * {@code …Async} dependent stage capture the context of the thread that registers them and restore it in their
 * own {@code run()}, so the stage keeps its registration context whichever thread completes the source and
 * whatever executor runs it (on fork/join pools {@code ForkJoinTask.doExec} restores first).
 */
public final class CompletableFutureInstrumentation implements VigilInstrumentation {
    static final String PREFIX = "java.util.concurrent.CompletableFuture$";
    static final String UNI_COMPLETION = PREFIX + "UniCompletion";
    static final String COMPLETION = PREFIX + "Completion";
    static final String ASYNC_SUPPLY = PREFIX + "AsyncSupply";
    static final String ASYNC_RUN = PREFIX + "AsyncRun";

    @Override
    public String name() {
        return "completablefuture";
    }

    @Override
    public Candidates candidates() {
        return Candidates.named(UNI_COMPLETION, COMPLETION, ASYNC_SUPPLY, ASYNC_RUN);
    }

    @Override
    public Map<ElementMatcher<? super MethodDescription>, String> advice() {
        return Map.of(
                isConstructor().and(takesArguments(3)).and(isDeclaredBy(named(UNI_COMPLETION))),
                CaptureAsyncStageAdvice.class.getName(),
                isConstructor().and(isDeclaredBy(named(ASYNC_SUPPLY).or(named(ASYNC_RUN)))),
                CaptureOnConstructionAdvice.class.getName(),
                named("run").and(takesArguments(0))
                        .and(isDeclaredBy(named(COMPLETION).or(named(ASYNC_SUPPLY)).or(named(ASYNC_RUN)))),
                RestoreThisAdvice.class.getName());
    }
}
