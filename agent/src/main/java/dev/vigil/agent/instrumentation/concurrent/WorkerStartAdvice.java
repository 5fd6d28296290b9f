package dev.vigil.agent.instrumentation.concurrent;

import dev.vigil.bridge.Hooks;
import net.bytebuddy.asm.Advice;

/** {@code ThreadPoolExecutor.addWorker}: the thread it starts is a pool worker and must not inherit a context. */
public final class WorkerStartAdvice {
    private WorkerStartAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter() {
        Hooks.context.enterWorkerStart();
    }

    @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
    public static void exit() {
        Hooks.context.exitWorkerStart();
    }
}
