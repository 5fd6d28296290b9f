package dev.vigil.agent.instrumentation.http.httpserver;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsExchange;
import dev.vigil.bridge.CallDepth;
import dev.vigil.bridge.Hooks;
import net.bytebuddy.asm.Advice;

import java.net.URI;

/** Inlined into {@code Filter.Chain.doFilter}; the outermost chain of an exchange (the
 * first on its thread) starts and ends its span. */
public final class JdkHttpServerAdvice {
    private JdkHttpServerAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static Object enter(@Advice.Argument(0) HttpExchange exchange) {
        // Not an exchange attribute: before JDK 20 those live in the HttpContext, shared by all its exchanges.
        if (CallDepth.HTTP_SERVER.enter() != 0) {
            return null;
        }
        URI uri = exchange.getRequestURI();
        Object handle = Hooks.httpServer.start(exchange.getRequestMethod(),
                exchange instanceof HttpsExchange ? "https" : "http", exchange.getLocalAddress().getPort(),
                uri.getRawPath(), uri.getRawQuery(), exchange.getRemoteAddress().getAddress(),
                exchange.getRequestHeaders());
        return handle;
    }

    @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
    public static void exit(@Advice.Enter Object handle, @Advice.Argument(0) HttpExchange exchange,
                            @Advice.Thrown Throwable error) {
        CallDepth.HTTP_SERVER.exit();
        if (handle != null) {
            Hooks.httpServer.end(handle, exchange.getResponseCode(), exchange.getHttpContext().getPath(), error);
        }
    }
}
