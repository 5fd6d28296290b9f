package dev.vigil.agent.instrumentation.jdbc;

import dev.vigil.bridge.CallDepth;
import dev.vigil.bridge.Hooks;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * {@code Connection.prepareStatement/prepareCall(String, …)}: the outermost call (a pool's proxy rather than the
 * driver it delegates to) remembers the returned statement's SQL.
 */
public final class JdbcPrepareAdvice {
    private JdbcPrepareAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static int enter() {
        return CallDepth.JDBC.enter();
    }

    @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
    public static void exit(@Advice.Enter int depth, @Advice.This Object connection,
                            @Advice.Argument(0) String sql,
                            @Advice.Return(typing = Assigner.Typing.DYNAMIC) Object statement) {
        try {
            if (depth == 0 && statement != null) {
                Hooks.jdbc.prepared(connection, statement, sql);
            }
        } finally {
            CallDepth.JDBC.exit();
        }
    }
}
