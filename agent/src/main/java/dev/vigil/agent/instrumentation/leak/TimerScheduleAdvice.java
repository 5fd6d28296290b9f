package dev.vigil.agent.instrumentation.leak;

import dev.vigil.bridge.Hooks;
import net.bytebuddy.asm.Advice;

/**
 * {@code java.util.Timer.sched(task, time, period)}, the private method every {@code schedule…} overload calls: a
 * periodic task (period not 0) that was accepted is counted until it is cancelled or collected.
 */
public final class TimerScheduleAdvice {
    private TimerScheduleAdvice() {
    }

    @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
    public static void exit(@Advice.This Object timer, @Advice.Argument(0) Object task, @Advice.Argument(2) long period,
                            @Advice.Thrown Throwable error) {
        if (period != 0 && error == null) {
            Hooks.leaks.periodicScheduled(timer, task, task);
        }
    }
}
