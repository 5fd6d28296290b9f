package dev.vigil.agent.instrumentation.http.jdkclient;

import dev.vigil.bridge.CallDepth;
import dev.vigil.bridge.Hooks;
import net.bytebuddy.asm.Advice;

import java.net.http.HttpRequest;
import java.util.concurrent.CompletableFuture;

/** {@code HttpClient.sendAsync}: the client span ends when the returned future completes. */
public final class JdkHttpClientSendAsyncAdvice {
    private JdkHttpClientSendAsyncAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static Object enter(@Advice.Argument(value = 0, readOnly = false) HttpRequest request) {
        if (CallDepth.HTTP_CLIENT.enter() != 0) {
            return null;
        }
        Object handle = Hooks.httpClient.start(request.method(), request.uri().toString());
        if (handle != null) {
            request = (HttpRequest) Hooks.httpClient.withHeaders(handle, request);
        }
        return handle;
    }

    @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
    public static void exit(@Advice.Enter Object handle, @Advice.Return CompletableFuture<?> future,
                            @Advice.Thrown Throwable error) {
        CallDepth.HTTP_CLIENT.exit();
        if (handle != null) {
            if (future == null || error != null) {
                Hooks.httpClient.end(handle, -1, error);
            } else {
                Hooks.httpClient.endAsync(handle, future);
            }
        }
    }
}
