package dev.vigil.agent.instrumentation.concurrent;

import dev.vigil.bridge.Hooks;
import net.bytebuddy.asm.Advice;

/**
 * The object starts running: {@code ForkJoinTask.doExec()}, {@code Thread.run()}, {@code VirtualThread.run(Runnable)},
 * {@code CompletableFuture} stages' {@code run()}. Restores what was captured for it, if anything.
 */
public final class RestoreThisAdvice {
    private RestoreThisAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static Object enter(@Advice.This Object task) {
        return Hooks.context.attach(task);
    }

    @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
    public static void exit(@Advice.Enter Object scope) {
        if (scope != null) {
            Hooks.context.detach(scope);
        }
    }
}
