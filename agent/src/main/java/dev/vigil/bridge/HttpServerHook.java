package dev.vigil.bridge;

/**
 * Server side of an HTTP exchange, called by the server advice (servlet, {@code com.sun.net.httpserver}, …).
 *
 * <p>Header values for {@code traceparent}, {@code tracestate} and {@code baggage} are passed as the server
 * library hands them out: a {@code String}, a {@code java.util.List} or a {@code java.util.Enumeration} of every
 * value the request carried (repeated headers matter to the W3C rules), or {@code null}.
 *
 * <p>The default methods do nothing and return {@code null}; advice treats a {@code null} handle as "not traced".
 */
public class HttpServerHook {
    /** Request attribute (servlet) / exchange attribute (httpserver) holding the handle of the current exchange. */
    public static final String HANDLE_ATTRIBUTE = "dev.vigil.server.handle";

    /**
     * Starts the server span, makes it current on this thread and returns its handle, or {@code null} when the
     * request is not traced (agent thread, instrumentation off).
     */
    public Object start(String method, String scheme, String host, int port, String path, String query,
                        String clientAddress, String userAgent, Object traceparent, Object tracestate,
                        Object baggage) {
        return null;
    }

    /**
     * {@link #start} for a server whose request headers are a map from names (in any case) to value lists,
     * read in one pass over its entries. For {@code com.sun.net.httpserver.Headers}, where every look-up by name
     * allocates a normalized copy of the name (a {@code char[]}, a {@code String} and its bytes), five look-ups
     * cost ≈ 0.4 KB per request. {@code client} is the peer's address, formatted here.
     */
    public Object start(String method, String scheme, int port, String path, String query,
                        java.net.InetAddress client, java.util.Map<String, java.util.List<String>> headers) {
        return null;
    }

    /** Ends the span started by {@link #start}; {@code route} may be null when the framework knows none. */
    public void end(Object handle, int status, String route, Throwable error) {
    }

    /**
     * The handler returned with the request still in asynchronous mode (servlet {@code startAsync}): detaches the
     * span from this thread and returns a listener implementing {@code listenerType} (the servlet API's
     * {@code AsyncListener}, jakarta or javax) that ends the span, with its final status, when the container
     * completes the request. Returns {@code null} when it cannot; the caller then ends the span at once with
     * {@link #end}.
     */
    public Object endAsync(Object handle, String route, Class<?> listenerType) {
        return null;
    }
}
