package dev.vigil.agent.instrumentation.http.jdkclient;

import dev.vigil.bridge.CallDepth;
import dev.vigil.bridge.Hooks;
import net.bytebuddy.asm.Advice;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** {@code HttpClient.send}: one client span; the request is replaced by a copy carrying the trace headers. */
public final class JdkHttpClientSendAdvice {
    private JdkHttpClientSendAdvice() {
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
    public static void exit(@Advice.Enter Object handle, @Advice.Return HttpResponse<?> response,
                            @Advice.Thrown Throwable error) {
        CallDepth.HTTP_CLIENT.exit();
        if (handle != null) {
            Hooks.httpClient.end(handle, response == null ? -1 : response.statusCode(), error);
        }
    }
}
