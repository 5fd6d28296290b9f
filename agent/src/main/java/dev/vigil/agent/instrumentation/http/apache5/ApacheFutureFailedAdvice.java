package dev.vigil.agent.instrumentation.http.apache5;

import dev.vigil.bridge.Hooks;
import net.bytebuddy.asm.Advice;

/** {@code BasicFuture.failed}: ends the call's span with the failure. */
public final class ApacheFutureFailedAdvice {
    private ApacheFutureFailedAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(@Advice.This Object future, @Advice.Argument(0) Exception error) {
        Object handle = Hooks.apacheAsyncClient.detach(future);
        if (handle != null) {
            Hooks.httpClient.end(handle, -1, error);
        }
    }
}
