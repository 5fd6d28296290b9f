package dev.vigil.agent.http;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;

/**
 * Ends the server span of an asynchronous servlet request when the container completes it.
 *
 * <p>The listener must implement the application's {@code AsyncListener} (jakarta or javax), a type the agent's
 * own classes cannot name: it is a {@link Proxy} defined in the servlet API's class loader, so no class has to be
 * injected into the application. The servlet API methods it needs are looked up once per API (per listener type)
 * through the public interfaces, never through container classes.
 *
 * <p>Events: {@code onError} remembers the throwable, {@code onComplete} ends the span with the response's final
 * status, {@code onStartAsync} (a new asynchronous cycle during an async dispatch) registers the listener again,
 * as the servlet specification requires. {@code onTimeout} needs nothing: the container completes the request
 * (with an error status unless the application answers) and {@code onComplete} follows.
 */
final class ServletAsyncCompletion implements InvocationHandler {
    private static final ClassValue<ServletAsyncApi> APIS = new ClassValue<>() {
        @Override
        protected ServletAsyncApi computeValue(Class<?> listenerType) {
            return ServletAsyncApi.lookUp(listenerType);
        }
    };

    private final HttpServerTelemetry telemetry;
    private final HttpServerTelemetry.Exchange exchange;
    private final String route;
    private final ServletAsyncApi api;
    private volatile Throwable error;

    private ServletAsyncCompletion(HttpServerTelemetry telemetry, HttpServerTelemetry.Exchange exchange, String route,
                                   ServletAsyncApi api) {
        this.telemetry = telemetry;
        this.exchange = exchange;
        this.route = route;
        this.api = api;
    }

    /** A listener of {@code listenerType} that ends {@code exchange}, or null when that API is not usable. */
    static Object listener(HttpServerTelemetry telemetry, HttpServerTelemetry.Exchange exchange, String route,
                           Class<?> listenerType) {
        ServletAsyncApi api = APIS.get(listenerType);
        if (api == null) {
            return null;
        }
        return Proxy.newProxyInstance(listenerType.getClassLoader(), new Class<?>[] {listenerType},
                new ServletAsyncCompletion(telemetry, exchange, route, api));
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) {
        switch (method.getName()) {
            case "onComplete":
                complete(args[0]);
                return null;
            case "onError":
                error = api.throwable(args[0]);
                return null;
            case "onStartAsync":
                api.addListener(args[0], proxy);
                return null;
            case "onTimeout":
                return null;
            case "hashCode":
                return System.identityHashCode(proxy);
            case "equals":
                return proxy == args[0];
            case "toString":
                return "VigilAsyncListener[" + route + "]";
            default:
                return null;
        }
    }

    private void complete(Object event) {
        Throwable failure = error;
        int status = api.status(event);
        if (failure != null && status < 400) {
            status = 500;
        }
        telemetry.finish(exchange, status, route, failure);
    }

    /** The few servlet API methods the listener calls, resolved through the API's public interfaces. */
    static final class ServletAsyncApi {
        private final Method eventResponse;
        private final Method eventThrowable;
        private final Method eventContext;
        private final Method contextAddListener;
        private final Method responseStatus;
        private final Class<?> httpResponse;

        private ServletAsyncApi(Class<?> listenerType) throws ReflectiveOperationException {
            String pkg = listenerType.getPackageName();
            ClassLoader loader = listenerType.getClassLoader();
            Class<?> event = Class.forName(pkg + ".AsyncEvent", false, loader);
            Class<?> context = Class.forName(pkg + ".AsyncContext", false, loader);
            httpResponse = Class.forName(pkg + ".http.HttpServletResponse", false, loader);
            eventResponse = event.getMethod("getSuppliedResponse");
            eventThrowable = event.getMethod("getThrowable");
            eventContext = event.getMethod("getAsyncContext");
            contextAddListener = context.getMethod("addListener", listenerType);
            responseStatus = httpResponse.getMethod("getStatus");
        }

        static ServletAsyncApi lookUp(Class<?> listenerType) {
            try {
                return new ServletAsyncApi(listenerType);
            } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
                return null;
            }
        }

        int status(Object event) {
            try {
                Object response = eventResponse.invoke(event);
                return httpResponse.isInstance(response) ? (Integer) responseStatus.invoke(response) : -1;
            } catch (IllegalAccessException | InvocationTargetException | RuntimeException e) {
                return -1;
            }
        }

        Throwable throwable(Object event) {
            try {
                return (Throwable) eventThrowable.invoke(event);
            } catch (IllegalAccessException | InvocationTargetException | RuntimeException e) {
                return null;
            }
        }

        void addListener(Object event, Object listener) {
            try {
                contextAddListener.invoke(eventContext.invoke(event), listener);
            } catch (IllegalAccessException | InvocationTargetException | RuntimeException e) {
                // the new cycle goes untracked; the span still ends if the first cycle's completion fires
            }
        }
    }
}
