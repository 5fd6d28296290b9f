package dev.vigil.agent.instrumentation.jdbc.hikari;

import dev.vigil.bridge.Hooks;
import net.bytebuddy.asm.Advice;

/**
 * {@code HikariPool(HikariConfig)} or {@code getConnection(long)} returned: hands the pool to the hook (bound once). Exit advice on a constructor cannot
 * catch the constructor's own exception ({@code onThrowable} is not allowed there), and a pool that failed to
 * construct needs no gauges anyway.
 */
public final class HikariPoolAdvice {
    private HikariPoolAdvice() {
    }

    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void exit(@Advice.This Object pool) {
        Hooks.jdbc.poolStarted(pool);
    }
}
