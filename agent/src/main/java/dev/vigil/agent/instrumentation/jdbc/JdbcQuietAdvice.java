package dev.vigil.agent.instrumentation.jdbc;

import dev.vigil.bridge.CallDepth;
import net.bytebuddy.asm.Advice;

/**
 * {@code Connection.isValid(int)}: holds the JDBC call-depth guard so that statements a driver runs to answer it
 * (PostgreSQL executes an empty prepared statement) make no span. A pool calls it on borrow: it is a ping, not an
 * application operation.
 */
public final class JdbcQuietAdvice {
    private JdbcQuietAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter() {
        CallDepth.JDBC.enter();
    }

    @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
    public static void exit() {
        CallDepth.JDBC.exit();
    }
}
