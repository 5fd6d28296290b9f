package dev.vigil.agent.instrumentation.leak;

import dev.vigil.agent.config.Config;
import dev.vigil.agent.config.ConfigKey;
import dev.vigil.agent.instrumentation.Candidates;
import dev.vigil.agent.instrumentation.VigilInstrumentation;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.matcher.ElementMatcher;

import java.util.Map;

import static net.bytebuddy.matcher.ElementMatchers.isDeclaredBy;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * Periodic tasks, for leak detection: {@code java.util.Timer} (its private {@code sched}, which every
 * {@code schedule…} overload calls) and {@code ScheduledThreadPoolExecutor.scheduleAtFixedRate/WithFixedDelay}, and
 * their cancellation ({@code TimerTask.cancel()}, the executor's future's {@code cancel}). Not woven in when
 * {@code leak.timer.min=0}.
 */
public final class TimerInstrumentation implements VigilInstrumentation {
    static final String EXECUTOR = "java.util.concurrent.ScheduledThreadPoolExecutor";
    static final String FUTURE = EXECUTOR + "$ScheduledFutureTask";

    @Override
    public String name() {
        return "timers";
    }

    @Override
    public boolean wanted(Config config) {
        return config.getInt(ConfigKey.LEAK_TIMER_MIN) > 0;
    }

    @Override
    public Candidates candidates() {
        return Candidates.named("java.util.Timer", "java.util.TimerTask", EXECUTOR, FUTURE);
    }

    @Override
    public Map<ElementMatcher<? super MethodDescription>, String> advice() {
        return Map.of(
                named("sched").and(takesArguments(3)).and(isDeclaredBy(named("java.util.Timer"))),
                TimerScheduleAdvice.class.getName(),
                namedOneOf("scheduleAtFixedRate", "scheduleWithFixedDelay").and(takesArguments(4))
                        .and(isDeclaredBy(named(EXECUTOR))),
                PeriodicScheduleAdvice.class.getName(),
                named("cancel").and(isDeclaredBy(named("java.util.TimerTask")).and(takesArguments(0))
                        .or(isDeclaredBy(named(FUTURE)).and(takesArguments(1)))),
                PeriodicCancelAdvice.class.getName());
    }
}
