package dev.vigil.agent.instrumentation.http.apache5;

import dev.vigil.bridge.Hooks;
import net.bytebuddy.asm.Advice;

/**
 * {@code BasicFuture} constructor: the first future created inside a pending {@code doExecute} is the call's.
 * (Constructor advice cannot use {@code onThrowable}: a constructor that throws leaves no object to track.)
 */
public final class ApacheFutureCreatedAdvice {
    private ApacheFutureCreatedAdvice() {
    }

    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void exit(@Advice.This Object future) {
        Hooks.apacheAsyncClient.futureCreated(future);
    }
}
