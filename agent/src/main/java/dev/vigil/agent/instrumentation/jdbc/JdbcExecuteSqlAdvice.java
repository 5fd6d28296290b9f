package dev.vigil.agent.instrumentation.jdbc;

import dev.vigil.bridge.CallDepth;
import dev.vigil.bridge.Hooks;
import net.bytebuddy.asm.Advice;

/** {@code Statement.execute*(String sql, …)}: the outermost call on the thread records, with its SQL. */
public final class JdbcExecuteSqlAdvice {
    private JdbcExecuteSqlAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static Object enter(@Advice.This Object statement, @Advice.Argument(0) String sql,
                               @Advice.Origin("#m") String method) {
        if (CallDepth.JDBC.enter() != 0) {
            return null;
        }
        return Hooks.jdbc.start(statement, sql, method);
    }

    @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
    public static void exit(@Advice.Enter Object handle, @Advice.Thrown Throwable error) {
        try {
            if (handle != null) {
                Hooks.jdbc.end(handle, null, error);
            }
        } finally {
            CallDepth.JDBC.exit();
        }
    }
}
