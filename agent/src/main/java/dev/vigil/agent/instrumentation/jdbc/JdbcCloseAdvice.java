package dev.vigil.agent.instrumentation.jdbc;

import dev.vigil.bridge.Hooks;
import net.bytebuddy.asm.Advice;

/** {@code Connection.close()}: ends leak tracking of the connection (a lookup that misses for untracked ones). */
public final class JdbcCloseAdvice {
    private JdbcCloseAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(@Advice.This Object connection) {
        Hooks.jdbc.connectionClosed(connection);
    }
}
