package dev.vigil.agent.instrumentation.concurrent;

import dev.vigil.bridge.Hooks;
import net.bytebuddy.asm.Advice;

/** The object itself is what will run: {@code ForkJoinTask.fork()}, {@code Thread.start()}, {@code VirtualThread.start}. */
public final class CaptureThisAdvice {
    private CaptureThisAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(@Advice.This Object task) {
        Hooks.context.capture(task, null);
    }
}
