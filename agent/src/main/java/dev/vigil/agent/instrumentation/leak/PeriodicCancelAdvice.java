package dev.vigil.agent.instrumentation.leak;

import dev.vigil.bridge.Hooks;
import net.bytebuddy.asm.Advice;

/** {@code TimerTask.cancel()} and the scheduled future's {@code cancel(boolean)}: the task no longer counts. */
public final class PeriodicCancelAdvice {
    private PeriodicCancelAdvice() {
    }

    @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
    public static void exit(@Advice.This Object task) {
        Hooks.leaks.periodicCancelled(task);
    }
}
