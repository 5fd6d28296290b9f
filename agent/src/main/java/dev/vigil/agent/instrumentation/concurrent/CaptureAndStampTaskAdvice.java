package dev.vigil.agent.instrumentation.concurrent;

import dev.vigil.bridge.Hooks;
import net.bytebuddy.asm.Advice;

/**
 * {@code ThreadPoolExecutor.execute(Runnable)}: captures the context like {@link CaptureTaskAdvice} and stamps the
 * task's submission time for the executor queue wait ({@code vigil.eventloop.lag{source=executor}}).
 */
public final class CaptureAndStampTaskAdvice {
    private CaptureAndStampTaskAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(@Advice.Argument(0) Object task, @Advice.This Object executor) {
        Hooks.context.capture(task, executor);
        Hooks.loopLag.taskSubmitted(task);
    }
}
