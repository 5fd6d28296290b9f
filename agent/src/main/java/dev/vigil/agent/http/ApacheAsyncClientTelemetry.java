package dev.vigil.agent.http;

import dev.vigil.bridge.AgentThread;
import dev.vigil.bridge.ApacheAsyncClientHook;
import dev.vigil.bridge.HttpClientHook;

import java.util.Map;
import java.util.WeakHashMap;

/**
 * Apache HttpClient 5 async calls ({@code CloseableHttpAsyncClient.execute} → {@code doExecute}). The advice
 * cannot wrap the request producer or the callback (that would need helper classes in the application's class
 * loader), so the call is assembled from three points on the caller's thread, all inside {@code doExecute}:
 * the client's future is the first {@code BasicFuture} created there, the request is what the
 * {@code BasicRequestProducer} sends (span start, headers set on it before it is copied into the exec chain),
 * and the future is registered before the request can be executed, so its completion on an I/O thread always
 * finds the handle. Requests from other producers are not traced.
 *
 * <p>Per-thread state is one reusable holder; futures map weakly to their handles (identity: {@code BasicFuture}
 * does not override {@code equals}). {@link #detach} is called for every {@code BasicFuture} completion in the
 * application, so it returns without locking while no call is in flight. Thread-safe.
 */
public final class ApacheAsyncClientTelemetry extends ApacheAsyncClientHook {
    private static final class Pending {
        boolean active;
        Object future;
        Object handle;

        void reset() {
            active = false;
            future = null;
            handle = null;
        }
    }

    private final HttpClientHook client;
    private final ThreadLocal<Pending> pending = new ThreadLocal<>();
    private final Map<Object, Object> calls = new WeakHashMap<>();
    private volatile boolean anyInFlight;

    public ApacheAsyncClientTelemetry(HttpClientHook client) {
        this.client = client;
    }

    @Override
    public void begin() {
        if (AgentThread.current()) {
            return;
        }
        Pending p = pending.get();
        if (p == null) {
            p = new Pending();
            pending.set(p);
        }
        p.reset();
        p.active = true;
    }

    @Override
    public void futureCreated(Object future) {
        Pending p = pending.get();
        if (p != null && p.active && p.future == null) {
            p.future = future;
        }
    }

    @Override
    public Object request(String method, String url) {
        Pending p = pending.get();
        if (p == null || !p.active || p.future == null || p.handle != null) {
            return null;
        }
        Object handle = client.start(method, url);
        if (handle == null) {
            return null;
        }
        p.handle = handle;
        synchronized (calls) {
            calls.put(p.future, handle);
            anyInFlight = true;
        }
        return handle;
    }

    @Override
    public void finish(Throwable error) {
        Pending p = pending.get();
        if (p == null || !p.active) {
            return;
        }
        Object future = p.future;
        Object handle = p.handle;
        p.reset();
        if (error != null && handle != null && detach(future) == handle) {
            client.end(handle, -1, error);
        }
    }

    @Override
    public Object detach(Object future) {
        if (!anyInFlight || future == null) {
            return null;
        }
        synchronized (calls) {
            Object handle = calls.remove(future);
            anyInFlight = !calls.isEmpty();
            return handle;
        }
    }

    /** Calls in flight; for tests. */
    int inFlight() {
        synchronized (calls) {
            return calls.size();
        }
    }
}
