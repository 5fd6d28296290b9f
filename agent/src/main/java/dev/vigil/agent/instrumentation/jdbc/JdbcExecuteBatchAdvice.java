package dev.vigil.agent.instrumentation.jdbc;

import dev.vigil.bridge.CallDepth;
import dev.vigil.bridge.Hooks;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/** {@code executeBatch()}/{@code executeLargeBatch()}: the result's length is the batch size. */
public final class JdbcExecuteBatchAdvice {
    private JdbcExecuteBatchAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static Object enter(@Advice.This Object statement, @Advice.Origin("#m") String method) {
        if (CallDepth.JDBC.enter() != 0) {
            return null;
        }
        return Hooks.jdbc.start(statement, null, method);
    }

    @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
    public static void exit(@Advice.Enter Object handle,
                            @Advice.Return(typing = Assigner.Typing.DYNAMIC) Object result,
                            @Advice.Thrown Throwable error) {
        try {
            if (handle != null) {
                Hooks.jdbc.end(handle, result, error);
            }
        } finally {
            CallDepth.JDBC.exit();
        }
    }
}
