package dev.vigil.agent.instrumentation.concurrent;

import dev.vigil.bridge.Hooks;
import net.bytebuddy.asm.Advice;

/** {@code ForkJoinPool.poolSubmit(boolean signalIfEmpty, ForkJoinTask task)} (Java 19+). */
public final class CaptureSecondArgumentAdvice {
    private CaptureSecondArgumentAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(@Advice.Argument(1) Object task, @Advice.This Object executor) {
        Hooks.context.capture(task, executor);
    }
}
