package dev.vigil.agent.instrumentation.http.urlconnection;

import dev.vigil.bridge.CallDepth;
import dev.vigil.bridge.Hooks;
import net.bytebuddy.asm.Advice;

import java.net.HttpURLConnection;

/** {@code connect}/{@code getOutputStream}/{@code getInputStream}: the outermost call of a request records. */
public final class HttpUrlConnectionAdvice {
    private HttpUrlConnectionAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static Object enter(@Advice.This HttpURLConnection connection) {
        if (CallDepth.HTTP_CLIENT.enter() != 0) {
            return null;
        }
        return Hooks.httpUrlConnection.enter(connection);
    }

    @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
    public static void exit(@Advice.Enter Object handle, @Advice.This HttpURLConnection connection,
                            @Advice.Origin("#m") String operation, @Advice.Thrown Throwable error) {
        try {
            if (handle != null) {
                Hooks.httpUrlConnection.exit(handle, connection, operation, -1, error);
            }
        } finally {
            CallDepth.HTTP_CLIENT.exit();
        }
    }
}
