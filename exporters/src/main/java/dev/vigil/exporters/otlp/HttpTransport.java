package dev.vigil.exporters.otlp;

import io.opentelemetry.sdk.common.export.HttpResponse;

import java.util.function.Consumer;

/**
 * How one attempt of an OTLP request reaches the collector; {@link SharedHttpSender} builds the request once and
 * owns retries and the export's deadline, a transport only sends.
 *
 * <p>Contract: exactly one of the two callbacks runs, on the agent's scheduler thread, at the latest when
 * {@code deadlineNanos} ({@link System#nanoTime()}) has passed (plus the scheduler's own delay). A failure is an
 * {@link java.io.IOException} when the request may not have been processed (connect failure, timeout, broken
 * connection), so that the retry policy can judge it.
 */
interface HttpTransport {
    void send(OtlpRequest request, long deadlineNanos, Consumer<HttpResponse> onResponse, Consumer<Throwable> onError);

    /**
     * Whether the transport no longer reads a request's body once a callback has run, so that the sender may write
     * the next export into the same array.
     */
    default boolean releasesBodyOnCompletion() {
        return false;
    }

    /** Releases what the transport holds (open connections); sends in flight still complete. */
    default void close() {
    }
}
