package dev.vigil.agent.instrumentation.jdbc;

import dev.vigil.bridge.CallDepth;
import dev.vigil.bridge.Hooks;
import net.bytebuddy.asm.Advice;

/** {@code PreparedStatement.setNull(int index, int sqlType, …)} and {@code clearParameters()} (bind capture on). */
public final class JdbcBindNullAdvice {
    private JdbcBindNullAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static int enter(@Advice.This Object statement, @Advice.AllArguments Object[] args) {
        int depth = CallDepth.JDBC.enter();
        if (depth == 0) {
            if (args.length == 0) {
                Hooks.jdbc.parametersCleared(statement);
            } else {
                Hooks.jdbc.parameterSet(statement, (Integer) args[0], null);
            }
        }
        return depth;
    }

    @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
    public static void exit() {
        CallDepth.JDBC.exit();
    }
}
