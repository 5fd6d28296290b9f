package dev.vigil.agent.instrumentation.jdbc;

import dev.vigil.bridge.CallDepth;
import dev.vigil.bridge.Hooks;
import net.bytebuddy.asm.Advice;

/** {@code Statement.addBatch(String)}: the outermost call remembers the SQL for the batch's span. */
public final class JdbcAddBatchAdvice {
    private JdbcAddBatchAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(@Advice.This Object statement, @Advice.Argument(0) String sql) {
        if (CallDepth.JDBC.enter() == 0) {
            Hooks.jdbc.batchAdded(statement, sql);
        }
    }

    @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
    public static void exit() {
        CallDepth.JDBC.exit();
    }
}
