package dev.vigil.agent.instrumentation.http.apache5;

import dev.vigil.bridge.Hooks;
import net.bytebuddy.asm.Advice;

import java.util.concurrent.CancellationException;

/** {@code BasicFuture.cancel}: ends the call's span as cancelled ({@code error.type} CancellationException). */
public final class ApacheFutureCancelledAdvice {
    private ApacheFutureCancelledAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(@Advice.This Object future) {
        Object handle = Hooks.apacheAsyncClient.detach(future);
        if (handle != null) {
            Hooks.httpClient.end(handle, -1, new CancellationException("request cancelled"));
        }
    }
}
