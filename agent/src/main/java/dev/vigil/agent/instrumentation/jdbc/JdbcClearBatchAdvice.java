package dev.vigil.agent.instrumentation.jdbc;

import dev.vigil.bridge.CallDepth;
import dev.vigil.bridge.Hooks;
import net.bytebuddy.asm.Advice;

/** {@code Statement.clearBatch()}: forgets the SQL remembered by {@code addBatch}. */
public final class JdbcClearBatchAdvice {
    private JdbcClearBatchAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(@Advice.This Object statement) {
        if (CallDepth.JDBC.enter() == 0) {
            Hooks.jdbc.batchCleared(statement);
        }
    }

    @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
    public static void exit() {
        CallDepth.JDBC.exit();
    }
}
