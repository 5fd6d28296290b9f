package dev.vigil.agent.instrumentation.http.apache5;

import dev.vigil.bridge.Hooks;
import net.bytebuddy.asm.Advice;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.Message;

/**
 * {@code BasicFuture.completed}: ends the call's span before the caller's callback runs. The status comes from
 * the result when the response consumer produced a response ({@code SimpleHttpResponse}) or a {@code Message}
 * with a response head; other consumers' results leave it unknown.
 */
public final class ApacheFutureCompletedAdvice {
    private ApacheFutureCompletedAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(@Advice.This Object future, @Advice.Argument(0) Object result) {
        Object handle = Hooks.apacheAsyncClient.detach(future);
        if (handle != null) {
            Object head = result instanceof Message ? ((Message<?, ?>) result).getHead() : result;
            Hooks.httpClient.end(handle, head instanceof HttpResponse ? ((HttpResponse) head).getCode() : -1, null);
        }
    }
}
