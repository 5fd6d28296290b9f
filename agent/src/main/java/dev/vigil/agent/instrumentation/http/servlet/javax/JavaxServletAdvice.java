package dev.vigil.agent.instrumentation.http.servlet.javax;

import dev.vigil.bridge.HttpServerHook;
import dev.vigil.bridge.Hooks;
import dev.vigil.bridge.ServletRoutes;
import javax.servlet.AsyncContext;
import javax.servlet.AsyncListener;
import javax.servlet.ServletRequest;
import javax.servlet.ServletResponse;
import javax.servlet.http.HttpServletMapping;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import net.bytebuddy.asm.Advice;

/** Inlined into {@code Servlet.service} and {@code FilterChain.doFilter} (javax.servlet). */
public final class JavaxServletAdvice {
    private JavaxServletAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static Object enter(@Advice.Argument(0) ServletRequest request) {
        if (!(request instanceof HttpServletRequest) || request.getAttribute(HttpServerHook.HANDLE_ATTRIBUTE) != null) {
            return null;
        }
        HttpServletRequest r = (HttpServletRequest) request;
        Object handle = Hooks.httpServer.start(r.getMethod(), r.getScheme(), r.getServerName(), r.getServerPort(),
                r.getRequestURI(), r.getQueryString(), r.getRemoteAddr(), r.getHeader("User-Agent"),
                r.getHeaders("traceparent"), r.getHeaders("tracestate"), r.getHeaders("baggage"));
        if (handle != null) {
            r.setAttribute(HttpServerHook.HANDLE_ATTRIBUTE, handle);
        }
        return handle;
    }

    @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
    public static void exit(@Advice.Enter Object handle, @Advice.Argument(0) ServletRequest request,
                            @Advice.Argument(1) ServletResponse response, @Advice.Thrown Throwable error) {
        if (handle == null) {
            return;
        }
        HttpServletRequest r = (HttpServletRequest) request;
        int status = response instanceof HttpServletResponse ? ((HttpServletResponse) response).getStatus() : -1;
        if (error != null && status < 400) {
            status = 500; // the container turns an escaped exception into a 500
        }
        String route = null;
        try {
            Object framework = r.getAttribute(ServletRoutes.SPRING_PATTERN);
            if (framework == null) {
                framework = r.getAttribute(ServletRoutes.ROUTE_ATTRIBUTE);
            }
            HttpServletMapping mapping = r.getHttpServletMapping();
            route = ServletRoutes.route(r.getContextPath(), framework,
                    mapping == null || mapping.getMappingMatch() == null ? null : mapping.getMappingMatch().name(),
                    mapping == null ? null : mapping.getPattern());
        } catch (Throwable olderServletApi) {
            // Servlet < 4 has no HttpServletMapping: the span keeps its method-only name
        }
        Object asyncListener = null;
        try {
            if (error == null && r.isAsyncStarted()) {
                AsyncContext async = r.getAsyncContext();
                asyncListener = Hooks.httpServer.endAsync(handle, route, AsyncListener.class);
                if (asyncListener != null) {
                    async.addListener((AsyncListener) asyncListener); // ends the span on completion
                }
            }
        } catch (Throwable notAsync) {
            asyncListener = null;
        }
        if (asyncListener == null) {
            Hooks.httpServer.end(handle, status, route, error);
        }
    }
}
