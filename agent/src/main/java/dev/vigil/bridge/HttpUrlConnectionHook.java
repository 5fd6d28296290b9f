package dev.vigil.bridge;

import java.net.HttpURLConnection;

/**
 * {@code java.net.HttpURLConnection}: one logical request spans several public calls ({@code connect},
 * {@code getOutputStream}, {@code getInputStream}, {@code getResponseCode}) that may come from different call
 * sites, so the implementation keeps the call's handle per connection object between them. Advice calls these
 * only for the outermost instrumented call on the thread ({@link CallDepth#HTTP_CLIENT}). Defaults do nothing.
 */
public class HttpUrlConnectionHook {
    /**
     * An instrumented method is about to run: returns the handle of the connection's call (starting the span and
     * adding the propagation headers on the first call), or {@code null} when the connection is not traced or its
     * span has already ended.
     */
    public Object enter(HttpURLConnection connection) {
        return null;
    }

    /**
     * The instrumented method {@code operation} returned ({@code responseCode} is its result for
     * {@code getResponseCode}, else -1) or threw {@code error}; ends the span once the response is known or the
     * request failed. Called while the advice still holds the call-depth guard.
     */
    public void exit(Object handle, HttpURLConnection connection, String operation, int responseCode,
                     Throwable error) {
    }
}
