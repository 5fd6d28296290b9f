package dev.vigil.testapps.loaders;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;

/**
 * Runs one GET through {@code Servlet.service} with a minimal request and response (dynamic proxies), all defined
 * in the driver's own class loader: no container needed, so the same code runs in a loader whose parent is null.
 * Called reflectively: {@code drive(path, query, downstream)} returns "status servletApiLoader body".
 */
public final class ServletDriver {
    private ServletDriver() {
    }

    public static String drive(String path, String query, String downstream) throws Exception {
        ClassLoader loader = ServletDriver.class.getClassLoader();
        Map<String, Object> attributes = new HashMap<>();
        if (downstream != null) {
            attributes.put("downstream", downstream);
        }
        StringWriter body = new StringWriter();
        PrintWriter writer = new PrintWriter(body);
        int[] status = {200};
        InvocationHandler request = (proxy, method, args) -> {
            switch (method.getName()) {
                case "getMethod": return "GET";
                case "getScheme": return "http";
                case "getServerName": return "localhost";
                case "getServerPort": return 8080;
                case "getRequestURI": return path;
                case "getQueryString": return query;
                case "getRemoteAddr": return "127.0.0.1";
                case "getProtocol": return "HTTP/1.1";
                case "getContextPath": return "";
                case "getServletPath": return path;
                case "getHeaders":
                case "getHeaderNames":
                case "getAttributeNames": return Collections.emptyEnumeration();
                case "getAttribute": return attributes.get((String) args[0]);
                case "setAttribute": attributes.put((String) args[0], args[1]); return null;
                case "removeAttribute": attributes.remove((String) args[0]); return null;
                default: return defaultValue(method);
            }
        };
        InvocationHandler response = (proxy, method, args) -> {
            switch (method.getName()) {
                case "setStatus": status[0] = (Integer) args[0]; return null;
                case "getStatus": return status[0];
                case "getWriter": return writer;
                default: return defaultValue(method);
            }
        };
        HttpServletRequest req = (HttpServletRequest) Proxy.newProxyInstance(loader,
                new Class<?>[] {HttpServletRequest.class}, request);
        HttpServletResponse resp = (HttpServletResponse) Proxy.newProxyInstance(loader,
                new Class<?>[] {HttpServletResponse.class}, response);
        HelloServlet servlet = new HelloServlet();
        servlet.service((jakarta.servlet.ServletRequest) req, (jakarta.servlet.ServletResponse) resp);
        writer.flush();
        return status[0] + " " + jakarta.servlet.Servlet.class.getClassLoader().getName() + " " + body;
    }

    private static Object defaultValue(Method method) {
        Class<?> t = method.getReturnType();
        if (t == boolean.class) {
            return false;
        }
        if (t == int.class) {
            return 0;
        }
        if (t == long.class) {
            return 0L;
        }
        return null;
    }
}
