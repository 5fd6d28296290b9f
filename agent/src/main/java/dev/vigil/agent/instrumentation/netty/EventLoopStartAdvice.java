package dev.vigil.agent.instrumentation.netty;

import dev.vigil.bridge.Hooks;
import net.bytebuddy.asm.Advice;

/**
 * {@code SingleThreadEventExecutor.doStartThread()} returned normally: the loop's thread is being started. Only on a
 * normal return (no {@code onThrowable}): a loop whose executor refused to start a thread has nothing to probe.
 */
public final class EventLoopStartAdvice {
    private EventLoopStartAdvice() {
    }

    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void exit(@Advice.This Object executor) {
        Hooks.loopLag.eventLoopStarted(executor);
    }
}
