package dev.vigil.agent.instrumentation.http.urlconnection;

import dev.vigil.bridge.CallDepth;
import dev.vigil.bridge.Hooks;
import net.bytebuddy.asm.Advice;

import java.net.HttpURLConnection;

/** {@code getResponseCode}: ends the request's span with the code it returns. */
public final class HttpUrlConnectionResponseCodeAdvice {
    private HttpUrlConnectionResponseCodeAdvice() {
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
                            @Advice.Return int responseCode, @Advice.Thrown Throwable error) {
        try {
            if (handle != null) {
                Hooks.httpUrlConnection.exit(handle, connection, "getResponseCode", responseCode, error);
            }
        } finally {
            CallDepth.HTTP_CLIENT.exit();
        }
    }
}
