package dev.vigil.bridge;

/**
 * Client side of an HTTP call, called by client advice (JDK HttpClient, HttpURLConnection, Apache HttpClient).
 * Defaults do nothing.
 */
public class HttpClientHook {
    private static final String[] NONE = new String[0];

    /**
     * Starts a client span as a child of the current context and returns its handle, or {@code null} when the
     * call is not traced (agent's own traffic, instrumentation off).
     */
    public Object start(String method, String url) {
        return null;
    }

    /** Headers to inject for the call, as name/value pairs: {@code [name0, value0, name1, value1, …]}. */
    public String[] headers(Object handle) {
        return NONE;
    }

    /**
     * For clients whose request object is immutable ({@code java.net.http.HttpRequest}): returns a copy of the
     * request carrying the propagation headers, or the request itself.
     */
    public Object withHeaders(Object handle, Object request) {
        return request;
    }

    /** Ends the span of a call that completed (or failed) on this thread. */
    public void end(Object handle, int status, Throwable error) {
    }

    /**
     * For asynchronous calls: the span ends when {@code future} (a {@code CompletableFuture} of the response)
     * completes. Returns the future to hand back to the caller.
     */
    public Object endAsync(Object handle, Object future) {
        return future;
    }
}
