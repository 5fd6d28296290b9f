package dev.vigil.exporters.otlp;

import io.opentelemetry.sdk.common.export.HttpResponse;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The transport for {@code http://} collectors: a small HTTP/1.1 client over non-blocking {@code SocketChannel}s,
 * driven entirely by jobs on the agent's scheduler. It has no thread of its own (the JDK {@code HttpClient} has a
 * selector thread, and its {@code sendAsync} completes through the {@code CompletableFuture} default executor) and
 * builds no {@code SSLContext}. Each request ({@link NioExchange}) connects, writes and reads in short
 * non-blocking steps, polling again after 1 ms, doubling to {@value NioExchange#MAX_POLL_MILLIS} ms while nothing
 * moves, until the response is complete or the deadline has passed; a job never blocks or sleeps. The price of
 * polling instead of a selector: up to that poll interval of latency per step, and a wake-up of the agent thread
 * per poll while a request is in flight (a few per export against a collector on the same network).
 *
 * <p>Connections are kept alive, per endpoint ({@code host:port}): an idle one is reused (after checking the peer
 * has not closed it), another is opened while one is busy, at most {@value #MAX_CONNECTIONS_PER_ENDPOINT}; a request
 * finding all of them busy waits for one (polling, within its deadline). A request on a reused connection that
 * turns out closed before any response byte arrived is sent once more on a fresh connection. Idle connections are
 * closed after {@code idleTimeout} (30 s by default) by one check scheduled only while some are idle. The host is
 * resolved (DNS, on the scheduler thread) when a connection is opened, so rarely.
 *
 * <p>What it does not do: TLS, proxies, HTTP/2, {@code Expect: 100-continue}, redirects (an OTLP collector sends
 * none; a 3xx is handed to the exporter as the response it is). Thread-safety: {@link #send} may be called from
 * any thread; all connection state is touched on the scheduler thread only.
 */
final class NioHttpTransport implements HttpTransport {
    static final int MAX_CONNECTIONS_PER_ENDPOINT = 4;
    static final long DEFAULT_IDLE_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(30);

    final ScheduledExecutorService scheduler;
    private final long idleTimeoutNanos;
    /** Scheduler thread only. */
    private final Map<String, Endpoint> endpoints = new HashMap<>();
    /** Scheduler thread only. */
    private boolean idleCheckScheduled;

    NioHttpTransport(ScheduledExecutorService scheduler) {
        this(scheduler, DEFAULT_IDLE_TIMEOUT_NANOS);
    }

    /** For tests: a shorter idle timeout. */
    NioHttpTransport(ScheduledExecutorService scheduler, long idleTimeoutNanos) {
        this.scheduler = scheduler;
        this.idleTimeoutNanos = idleTimeoutNanos;
    }

    @Override
    public void send(OtlpRequest request, long deadlineNanos, Consumer<HttpResponse> onResponse,
                     Consumer<Throwable> onError) {
        NioExchange exchange = new NioExchange(this, request, deadlineNanos, onResponse, onError);
        try {
            scheduler.execute(exchange);
        } catch (RejectedExecutionException e) {
            onError.accept(new IOException("not sent: the agent's scheduler has stopped", e));
        }
    }

    /** An exchange stops writing before its callback runs (it completed, or it closed its connection). */
    @Override
    public boolean releasesBodyOnCompletion() {
        return true;
    }

    /** Scheduler thread only. */
    Endpoint endpoint(URI uri) {
        String host = uri.getHost();
        int port = uri.getPort() < 0 ? 80 : uri.getPort();
        return endpoints.computeIfAbsent(host + ":" + port, key -> new Endpoint(host, port));
    }

    /** Connections open to all endpoints, idle or busy (scheduler thread only; for tests). */
    int openConnections() {
        return endpoints.values().stream().mapToInt(e -> e.open).sum();
    }

    /** Closes idle connections; busy ones close when their request ends. */
    @Override
    public void close() {
        try {
            scheduler.execute(() -> endpoints.values().forEach(Endpoint::closeAllIdle));
        } catch (RejectedExecutionException e) {
            // stopped: the JVM is exiting and closes the sockets
        }
    }

    private void scheduleIdleCheck() {
        if (!idleCheckScheduled) {
            idleCheckScheduled = true;
            try {
                scheduler.schedule(this::closeIdle, idleTimeoutNanos, TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException e) {
                idleCheckScheduled = false;
            }
        }
    }

    private void closeIdle() {
        idleCheckScheduled = false;
        long now = System.nanoTime();
        boolean idleLeft = false;
        for (Endpoint endpoint : endpoints.values()) {
            idleLeft |= endpoint.closeIdle(now - idleTimeoutNanos);
        }
        if (idleLeft) {
            scheduleIdleCheck();
        }
    }

    /** The connections to one {@code host:port}. Scheduler thread only. */
    final class Endpoint {
        final String host;
        final int port;
        /** Most recently used last: reused first, so the others age out. */
        private final ArrayDeque<NioConnection> idle = new ArrayDeque<>();
        private int open;

        Endpoint(String host, int port) {
            this.host = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
            this.port = port;
        }

        /**
         * A connection for one request: an idle one still usable, unless {@code freshOnly}, else a new one (connect
         * started), or null when {@value #MAX_CONNECTIONS_PER_ENDPOINT} are busy.
         */
        NioConnection acquire(boolean freshOnly) throws IOException {
            closeIdle(System.nanoTime() - idleTimeoutNanos);
            NioConnection connection;
            while (!freshOnly && (connection = idle.pollLast()) != null) {
                if (connection.stillUsable()) {
                    return connection;
                }
                discard(connection);
            }
            if (open >= MAX_CONNECTIONS_PER_ENDPOINT && !idle.isEmpty()) {
                discard(idle.pollFirst());
            }
            if (open >= MAX_CONNECTIONS_PER_ENDPOINT) {
                return null;
            }
            connection = NioConnection.open(host, port);
            open++;
            return connection;
        }

        /** Back to the idle ones after a complete response, or closed. */
        void release(NioConnection connection, boolean reusable) {
            if (reusable) {
                connection.completedRequests++;
                connection.idleSinceNanos = System.nanoTime();
                idle.addLast(connection);
                scheduleIdleCheck();
            } else {
                discard(connection);
            }
        }

        /** Closes the connections idle since before {@code idleBeforeNanos}; true when idle ones are left. */
        boolean closeIdle(long idleBeforeNanos) {
            // oldest first
            while (!idle.isEmpty() && idle.peekFirst().idleSinceNanos - idleBeforeNanos <= 0) {
                discard(idle.pollFirst());
            }
            return !idle.isEmpty();
        }

        void closeAllIdle() {
            while (!idle.isEmpty()) {
                discard(idle.pollFirst());
            }
        }

        private void discard(NioConnection connection) {
            connection.close();
            open--;
        }
    }
}
