package dev.vigil.agent.instrumentation.jdbc;

import dev.vigil.bridge.CallDepth;
import dev.vigil.bridge.Hooks;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * {@code DataSource.getConnection(…)} and {@code Driver.connect(…)}: the outermost call on the thread hands the
 * connection it returns to leak tracking (a pool's {@code getConnection} that connects underneath counts once).
 */
public final class JdbcConnectAdvice {
    private JdbcConnectAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static int enter() {
        return CallDepth.JDBC_CONNECT.enter();
    }

    @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
    public static void exit(@Advice.Enter int depth,
                            @Advice.Return(typing = Assigner.Typing.DYNAMIC) Object connection) {
        try {
            if (depth == 0 && connection != null) {
                Hooks.jdbc.connectionAcquired(connection);
            }
        } finally {
            CallDepth.JDBC_CONNECT.exit();
        }
    }
}
