package dev.vigil.bridge;

/**
 * Apache HttpClient 5 async: the request object is only visible once the request producer sends it, and the call
 * completes through the client's future on an I/O thread. The implementation ties the pieces together:
 * {@link #begin} (outermost {@code doExecute} on this thread) → {@link #futureCreated} (the first future
 * created inside it is the call's future) → {@link #request} (the producer sends the request: span starts,
 * headers are injected) → {@link #finish} ({@code doExecute} returned) → {@link #detach} (the future completed,
 * failed or was cancelled; advice then ends the span through {@link HttpClientHook#end}). Defaults do nothing.
 */
public class ApacheAsyncClientHook {
    public void begin() {
    }

    public void futureCreated(Object future) {
    }

    /** Returns the handle of the call pending on this thread when its span has just started, else {@code null}. */
    public Object request(String method, String url) {
        return null;
    }

    /** {@code doExecute} returned or threw {@code error} (then a started span ends with it). */
    public void finish(Throwable error) {
    }

    /** The handle tied to {@code future}, removed, or {@code null} when the future is not a traced call's. */
    public Object detach(Object future) {
        return null;
    }
}
