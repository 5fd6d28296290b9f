package dev.vigil.agent.instrumentation.jdbc;

import dev.vigil.bridge.CallDepth;
import dev.vigil.bridge.Hooks;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * {@code PreparedStatement.set*(int index, value, …)} (woven in only when bind capture is on): the outermost call
 * hands the value to the hook, which keeps a reference until the statement runs.
 */
public final class JdbcBindAdvice {
    private JdbcBindAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static int enter(@Advice.This Object statement, @Advice.Argument(0) int index,
                            @Advice.Argument(value = 1, typing = Assigner.Typing.DYNAMIC) Object value) {
        int depth = CallDepth.JDBC.enter();
        if (depth == 0) {
            Hooks.jdbc.parameterSet(statement, index, value);
        }
        return depth;
    }

    @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
    public static void exit() {
        CallDepth.JDBC.exit();
    }
}
