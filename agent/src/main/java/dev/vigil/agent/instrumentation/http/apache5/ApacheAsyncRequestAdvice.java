package dev.vigil.agent.instrumentation.http.apache5;

import dev.vigil.bridge.Hooks;
import net.bytebuddy.asm.Advice;
import org.apache.hc.core5.http.HttpRequest;

/** {@code BasicRequestProducer.sendRequest}: the pending call's span starts; headers go on the request. */
public final class ApacheAsyncRequestAdvice {
    private ApacheAsyncRequestAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(@Advice.FieldValue("request") HttpRequest request) {
        Object authority = request.getAuthority();
        String scheme = request.getScheme();
        String path = request.getRequestUri();
        Object handle = Hooks.apacheAsyncClient.request(request.getMethod(),
                authority == null ? path : (scheme == null ? "http" : scheme) + "://" + authority + path);
        if (handle != null) {
            String[] headers = Hooks.httpClient.headers(handle);
            for (int i = 0; i + 1 < headers.length; i += 2) {
                request.setHeader(headers[i], headers[i + 1]);
            }
        }
    }
}
