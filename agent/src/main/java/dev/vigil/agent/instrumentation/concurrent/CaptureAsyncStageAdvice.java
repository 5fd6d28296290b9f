package dev.vigil.agent.instrumentation.concurrent;

import dev.vigil.bridge.Hooks;
import net.bytebuddy.asm.Advice;

import java.util.concurrent.Executor;

/**
 * {@code CompletableFuture$UniCompletion(Executor, dep, src)}: a non-null executor means an async stage
 * ({@code thenApplyAsync}, …), registered now but fired later by whichever thread completes its source.
 */
public final class CaptureAsyncStageAdvice {
    private CaptureAsyncStageAdvice() {
    }

    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void exit(@Advice.This Object stage, @Advice.Argument(0) Executor executor) {
        if (executor != null) {
            Hooks.context.capture(stage, executor);
        }
    }
}
