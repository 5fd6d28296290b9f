package dev.vigil.agent.instrumentation.concurrent;

import dev.vigil.bridge.Hooks;
import net.bytebuddy.asm.Advice;

/**
 * {@code CompletableFuture}'s {@code AsyncSupply}/{@code AsyncRun}: created on the caller's thread right before
 * they are handed to the executor. Constructor advice cannot use {@code onThrowable}: a constructor that
 * throws leaves no object to capture anyway.
 */
public final class CaptureOnConstructionAdvice {
    private CaptureOnConstructionAdvice() {
    }

    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void exit(@Advice.This Object task) {
        Hooks.context.capture(task, null);
    }
}
