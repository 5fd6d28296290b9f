package dev.vigil.agent.instrumentation.jdbc;

import dev.vigil.bridge.CallDepth;
import dev.vigil.bridge.Hooks;
import net.bytebuddy.asm.Advice;

/** {@code PreparedStatement.execute*()}: the outermost call on the thread records, with the prepared SQL. */
public final class JdbcExecuteAdvice {
    private JdbcExecuteAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static Object enter(@Advice.This Object statement, @Advice.Origin("#m") String method) {
        if (CallDepth.JDBC.enter() != 0) {
            return null;
        }
        return Hooks.jdbc.start(statement, null, method);
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
