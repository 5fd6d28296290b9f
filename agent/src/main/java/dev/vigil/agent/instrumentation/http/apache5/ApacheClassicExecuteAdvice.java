package dev.vigil.agent.instrumentation.http.apache5;

import dev.vigil.bridge.CallDepth;
import dev.vigil.bridge.Hooks;
import net.bytebuddy.asm.Advice;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.HttpResponse;

/** {@code doExecute}: one client span; the propagation headers are set on the request before it is copied. */
public final class ApacheClassicExecuteAdvice {
    private ApacheClassicExecuteAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static Object enter(@Advice.Argument(0) HttpHost target, @Advice.Argument(1) ClassicHttpRequest request) {
        if (CallDepth.HTTP_CLIENT.enter() != 0) {
            return null;
        }
        // the request's own scheme and authority when it has an absolute URI, else the target host's
        boolean relative = request.getAuthority() == null && target != null;
        Object authority = relative ? target.toHostString() : request.getAuthority();
        String scheme = relative ? target.getSchemeName() : request.getScheme();
        String path = request.getRequestUri();
        Object handle = Hooks.httpClient.start(request.getMethod(),
                authority == null ? path : (scheme == null ? "http" : scheme) + "://" + authority + path);
        if (handle != null) {
            String[] headers = Hooks.httpClient.headers(handle);
            for (int i = 0; i + 1 < headers.length; i += 2) {
                request.setHeader(headers[i], headers[i + 1]);
            }
        }
        return handle;
    }

    @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
    public static void exit(@Advice.Enter Object handle, @Advice.Return HttpResponse response,
                            @Advice.Thrown Throwable error) {
        CallDepth.HTTP_CLIENT.exit();
        if (handle != null) {
            Hooks.httpClient.end(handle, response == null ? -1 : response.getCode(), error);
        }
    }
}
