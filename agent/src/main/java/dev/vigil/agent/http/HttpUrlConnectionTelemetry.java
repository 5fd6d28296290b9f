package dev.vigil.agent.http;

import dev.vigil.bridge.AgentThread;
import dev.vigil.bridge.HttpClientHook;
import dev.vigil.bridge.HttpUrlConnectionHook;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * Client spans for the JDK's {@code HttpURLConnection}. One connection object is one request, made of several
 * calls: the span starts at the first of {@code connect}/{@code getOutputStream}/{@code getInputStream}/
 * {@code getResponseCode} (the propagation headers are set then, before anything is sent), and ends when the
 * response code or the input stream is obtained, or when one of these calls fails.
 *
 * <p>State between calls lives in a map weakly keyed by the connection (a field on the connection would need a
 * class format change): an entry holds the call handle while the request is in flight and a shared marker once
 * its span has ended (so a later {@code getInputStream} after {@code getResponseCode} starts nothing), and goes
 * away with the connection. JDK connections do not override {@code equals}/{@code hashCode}, so the map
 * compares by identity. Only the JDK's own implementation ({@code sun.net.www.protocol.http.HttpURLConnection}
 * and its HTTPS delegate) is traced: other {@code HttpURLConnection} subclasses that inherit
 * {@code getResponseCode} belong to libraries with their own instrumentation. Thread-safe; the map lock is never
 * held while calling into the connection, whose own lock advice may already hold.
 */
public final class HttpUrlConnectionTelemetry extends HttpUrlConnectionHook {
    static final String CONNECT = "connect";
    static final String GET_OUTPUT_STREAM = "getOutputStream";
    static final String GET_INPUT_STREAM = "getInputStream";
    static final String GET_RESPONSE_CODE = "getResponseCode";

    private static final Object ENDED = new Object();

    private final HttpClientHook client;
    /** Null for the JDK's implementation, looked up at the first connection (see {@link JdkImplementation}). */
    private final Class<?> traced;
    private final Map<HttpURLConnection, Object> calls = new WeakHashMap<>();

    public HttpUrlConnectionTelemetry(HttpClientHook client) {
        this(client, null);
    }

    /** For tests: trace connections assignable to {@code traced}. */
    HttpUrlConnectionTelemetry(HttpClientHook client, Class<?> traced) {
        this.client = client;
        this.traced = traced;
    }

    @Override
    public Object enter(HttpURLConnection connection) {
        if (connection == null || AgentThread.current()) {
            return null;
        }
        Class<?> type = traced != null ? traced : JdkImplementation.TYPE;
        if (type == null || !type.isInstance(connection)) {
            return null;
        }
        Object known;
        synchronized (calls) {
            known = calls.get(connection);
        }
        if (known != null) {
            return known == ENDED ? null : known;
        }
        Object handle = client.start(connection.getRequestMethod(), String.valueOf(connection.getURL()));
        if (handle == null) {
            return null;
        }
        synchronized (calls) {
            known = calls.putIfAbsent(connection, handle);
        }
        if (known != null) {
            // another thread started this connection's call first; this span was never ended, so never exported
            return known == ENDED ? null : known;
        }
        String[] headers = client.headers(handle);
        try {
            for (int i = 0; i + 1 < headers.length; i += 2) {
                connection.setRequestProperty(headers[i], headers[i + 1]);
            }
        } catch (IllegalStateException alreadyConnected) {
            // connected before the agent saw it (attached mid-request): traced, not propagated
        }
        return handle;
    }

    @Override
    public void exit(Object handle, HttpURLConnection connection, String operation, int responseCode,
                     Throwable error) {
        if (handle == null || connection == null) {
            return;
        }
        switch (operation) {
            case GET_RESPONSE_CODE:
                finish(connection, handle, error == null ? responseCode : -1, error);
                break;
            case GET_INPUT_STREAM: {
                int status = responseCode(connection);
                // for 4xx/5xx getInputStream throws although the exchange worked: the status tells the story
                finish(connection, handle, status, status >= 400 ? null : error);
                break;
            }
            default: // connect, getOutputStream: the response is still to come unless the call failed
                if (error != null) {
                    finish(connection, handle, -1, error);
                }
        }
    }

    private void finish(HttpURLConnection connection, Object handle, int status, Throwable error) {
        synchronized (calls) {
            if (calls.get(connection) != handle) {
                return; // ended already
            }
            calls.put(connection, ENDED);
        }
        client.end(handle, status, error);
    }

    /**
     * The response code once {@code getInputStream} has returned or thrown: cached by the connection when a
     * response arrived; -1 when the request failed (the connection then rethrows its remembered exception, it
     * does not retry). The caller still holds the call-depth guard, so this nested call records nothing.
     */
    private static int responseCode(HttpURLConnection connection) {
        try {
            return connection.getResponseCode();
        } catch (IOException | RuntimeException failed) {
            return -1;
        }
    }

    /** Number of connections with state (in flight or ended and not yet collected); for tests. */
    int tracked() {
        synchronized (calls) {
            return calls.size();
        }
    }

    /**
     * The JDK's implementation class, looked up when the first connection comes (holder idiom): by then a JDK
     * connection's class is loaded. Looking it up when the agent starts loaded that large class in every
     * application, used or not, and the agent then wove it.
     */
    private static final class JdkImplementation {
        static final Class<?> TYPE = find();

        private static Class<?> find() {
            try {
                return Class.forName("sun.net.www.protocol.http.HttpURLConnection", false, null);
            } catch (ClassNotFoundException | LinkageError e) {
                return null;
            }
        }
    }
}
