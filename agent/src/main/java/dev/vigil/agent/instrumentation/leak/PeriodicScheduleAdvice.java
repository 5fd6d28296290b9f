package dev.vigil.agent.instrumentation.leak;

import dev.vigil.bridge.Hooks;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * {@code ScheduledThreadPoolExecutor.scheduleAtFixedRate/WithFixedDelay}: the returned future is counted until it
 * is cancelled (which {@code shutdown()} does for periodic tasks) or collected.
 */
public final class PeriodicScheduleAdvice {
    private PeriodicScheduleAdvice() {
    }

    @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
    public static void exit(@Advice.This Object executor, @Advice.Argument(0) Object command,
                            @Advice.Return(typing = Assigner.Typing.DYNAMIC) Object future) {
        if (future != null) {
            Hooks.leaks.periodicScheduled(executor, future, command);
        }
    }
}
