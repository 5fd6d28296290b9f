package dev.vigil.agent.instrumentation.concurrent;

import dev.vigil.agent.instrumentation.Candidates;
import dev.vigil.agent.instrumentation.VigilInstrumentation;
import dev.vigil.bridge.ContextTasks;
import net.bytebuddy.asm.AsmVisitorWrapper;
import net.bytebuddy.asm.MemberSubstitution;
import net.bytebuddy.asm.MemberSubstitution.Substitution.Chain.Step;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.dynamic.scaffold.MethodGraph;
import net.bytebuddy.matcher.ElementMatcher;

import java.util.List;
import java.util.Map;

import static net.bytebuddy.matcher.ElementMatchers.isDeclaredBy;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * {@code ThreadPoolExecutor} and {@code ScheduledThreadPoolExecutor} (every {@code Executors.new…} pool but the
 * fork/join and thread-per-task ones): capture at {@code execute}/{@code delayedExecute}, restore around the
 * worker loop's {@code task.run()}. See {@code dev.vigil.agent.trace.ContextPropagation} for why. The same two points
 * time the queue wait of a task when {@code looplag.executor.enabled} ({@code LoopLagHook.taskSubmitted} at
 * {@code execute}, {@code taskStarted} in {@code ContextTasks.before}).
 */
public final class ExecutorInstrumentation implements VigilInstrumentation {
    static final String TPE = "java.util.concurrent.ThreadPoolExecutor";
    static final String STPE = "java.util.concurrent.ScheduledThreadPoolExecutor";
    /** The hooks' one parameter (index 1 to the chain step) is the substituted call's receiver (index 0): the task. */
    private static final Map<Integer, Integer> TASK = Map.of(1, 0);

    @Override
    public String name() {
        return "executor";
    }

    @Override
    public Candidates candidates() {
        return Candidates.named(TPE, STPE);
    }

    @Override
    public Map<ElementMatcher<? super MethodDescription>, String> advice() {
        return Map.of(
                named("execute").and(takesArguments(1)).and(isDeclaredBy(named(TPE))), CaptureAndStampTaskAdvice.class.getName(),
                named("delayedExecute").and(takesArguments(1)).and(isDeclaredBy(named(STPE))), CaptureTaskAdvice.class.getName(),
                named("addWorker").and(isDeclaredBy(named(TPE))), WorkerStartAdvice.class.getName());
    }

    @Override
    public List<AsmVisitorWrapper> visitors() {
        try {
            // task.run() becomes before(task); task.run(); after(task), inline: no frame of Vigil's under the task.
            // Each call in runWorker is looked up among its owner's declared methods only: Runnable declares run(),
            // and the default graph of all inherited methods (of ThreadPoolExecutor, Thread, …) cost ≈ 15 ms of
            // start-up for lookups that cannot match.
            return List.of(MemberSubstitution.relaxed()
                    .with(MethodGraph.Compiler.ForDeclaredMethods.INSTANCE)
                    .method(named("run").and(takesArguments(0)).and(isDeclaredBy(Runnable.class)))
                    .replaceWithChain(
                            new Step.ForInvocation.Factory(ContextTasks.class.getMethod("before", Runnable.class), TASK),
                            Step.OfOriginalExpression.INSTANCE,
                            new Step.ForInvocation.Factory(ContextTasks.class.getMethod("after", Runnable.class), TASK))
                    .on(named("runWorker").and(isDeclaredBy(named(TPE)))));
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(e);
        }
    }
}
