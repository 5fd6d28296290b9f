package dev.vigil.agent.instrumentation.http.apache5;

import dev.vigil.bridge.CallDepth;
import dev.vigil.bridge.Hooks;
import net.bytebuddy.asm.Advice;

/** {@code doExecute}: marks the call pending on this thread until it returns. */
public final class ApacheAsyncExecuteAdvice {
    private ApacheAsyncExecuteAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static boolean enter() {
        if (CallDepth.HTTP_CLIENT.enter() != 0) {
            return false;
        }
        Hooks.apacheAsyncClient.begin();
        return true;
    }

    @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
    public static void exit(@Advice.Enter boolean outermost, @Advice.Thrown Throwable error) {
        CallDepth.HTTP_CLIENT.exit();
        if (outermost) {
            Hooks.apacheAsyncClient.finish(error);
        }
    }
}
