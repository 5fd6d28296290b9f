package dev.vigil.agent.instrumentation.concurrent;

import dev.vigil.bridge.Hooks;
import net.bytebuddy.asm.Advice;

/**
 * The task is the first argument of the instrumented executor method ({@code ThreadPoolExecutor.execute},
 * {@code ScheduledThreadPoolExecutor.delayedExecute}, {@code ForkJoinPool.externalSubmit}).
 */
public final class CaptureTaskAdvice {
    private CaptureTaskAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(@Advice.Argument(0) Object task, @Advice.This Object executor) {
        Hooks.context.capture(task, executor);
    }
}
