package dev.vigil.exporters.otlp;

import io.opentelemetry.sdk.common.export.HttpResponse;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One attempt of one request over {@link NioHttpTransport}: get a connection, finish connecting, write the request,
 * read the response. Each {@link #run()} is one job on the scheduler that goes as far as it can without blocking
 * and schedules the next poll (1 ms after progress, doubling to {@value #MAX_POLL_MILLIS} ms while nothing moves),
 * until the response is complete or the deadline has passed. Exactly one callback runs, on the scheduler thread.
 *
 * <p>The body is written from the request's own array, in slices of at most {@value #WRITE_SLICE} bytes (the JDK
 * copies a heap buffer into a temporary direct buffer it keeps per thread: slices keep that one small).
 */
final class NioExchange implements Runnable {
    static final long FIRST_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    static final long MAX_POLL_MILLIS = 32;
    static final int WRITE_SLICE = 64 * 1024;

    private final NioHttpTransport transport;
    private final OtlpRequest request;
    private final long deadlineNanos;
    private final Consumer<HttpResponse> onResponse;
    private final Consumer<Throwable> onError;
    private final ByteBuffer[] out;
    private NioHttpTransport.Endpoint endpoint;
    private NioConnection connection;
    private boolean reused;
    private boolean freshOnly;
    private ResponseParser parser;
    private long pollNanos = FIRST_POLL_NANOS;
    private boolean done;

    NioExchange(NioHttpTransport transport, OtlpRequest request, long deadlineNanos, Consumer<HttpResponse> onResponse,
                Consumer<Throwable> onError) {
        this.transport = transport;
        this.request = request;
        this.deadlineNanos = deadlineNanos;
        this.onResponse = onResponse;
        this.onError = onError;
        this.out = new ByteBuffer[] {ByteBuffer.wrap(head(request)), ByteBuffer.wrap(request.body(), 0, 0)};
    }

    /** The request line and headers, ASCII (header values are sent as ISO-8859-1, like the JDK client). */
    static byte[] head(OtlpRequest request) {
        URI uri = request.endpoint();
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        StringBuilder head = new StringBuilder(256).append("POST ").append(path);
        if (uri.getRawQuery() != null) {
            head.append('?').append(uri.getRawQuery());
        }
        head.append(" HTTP/1.1\r\nHost: ").append(uri.getHost());
        if (uri.getPort() >= 0 && uri.getPort() != 80) {
            head.append(':').append(uri.getPort());
        }
        head.append("\r\nContent-Length: ").append(request.bodyLength()).append("\r\n");
        for (Map.Entry<String, String> header : request.headers()) {
            head.append(header.getKey()).append(": ").append(header.getValue()).append("\r\n");
        }
        return head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /** One poll: as far as it goes without blocking, then the next poll, or the end. */
    @Override
    public void run() {
        if (done) {
            return;
        }
        try {
            if (endpoint == null) {
                endpoint = transport.endpoint(request.endpoint());
            }
            boolean progress = step();
            if (done) {
                return;
            }
            long now = System.nanoTime();
            if (now - deadlineNanos >= 0) {
                fail(timedOut());
                return;
            }
            pollNanos = progress ? FIRST_POLL_NANOS : Math.min(pollNanos * 2, TimeUnit.MILLISECONDS.toNanos(MAX_POLL_MILLIS));
            transport.scheduler.schedule(this, Math.min(pollNanos, deadlineNanos - now), TimeUnit.NANOSECONDS);
        } catch (IOException e) {
            if (reused && !freshOnly && (parser == null || !parser.started())) {
                // a kept-alive connection the peer closed meanwhile: once more on a new one
                freshOnly = true;
                reused = false;
                if (connection != null) {
                    endpoint.release(connection, false);
                    connection = null;
                }
                run();
            } else {
                fail(e);
            }
        } catch (RejectedExecutionException e) {
            fail(new IOException("not completed: the agent's scheduler has stopped", e));
        } catch (RuntimeException e) {
            fail(e);
        }
    }

    private boolean step() throws IOException {
        boolean progress = false;
        if (connection == null) {
            connection = endpoint.acquire(freshOnly);
            if (connection == null) {
                return false; // all connections busy: wait for one
            }
            reused = connection.completedRequests > 0;
            parser = new ResponseParser(request.maxResponseBytes());
            out[0].rewind();
            out[1].limit(0);
            progress = true;
        }
        if (!connection.finishConnect()) {
            return progress;
        }
        while (out[0].hasRemaining() || out[1].limit() < request.bodyLength() || out[1].hasRemaining()) {
            if (!out[1].hasRemaining()) {
                out[1].limit(Math.min(request.bodyLength(), out[1].limit() + WRITE_SLICE));
            }
            if (connection.channel.write(out) == 0) {
                return progress;
            }
            progress = true;
        }
        ByteBuffer in = connection.readBuffer;
        while (true) {
            in.clear();
            int n = connection.channel.read(in);
            if (n == 0) {
                return progress;
            }
            if (n < 0) {
                parser.endOfInput(); // throws unless the body ends with the connection
                complete(false);
                return true;
            }
            in.flip();
            parser.feed(in);
            progress = true;
            if (parser.complete()) {
                complete(!in.hasRemaining());
                return true;
            }
        }
    }

    /** @param clean no byte after the response: the connection may carry the next request */
    private void complete(boolean clean) {
        done = true;
        endpoint.release(connection, clean && parser.keepAlive());
        connection = null;
        onResponse.accept(parser.response());
    }

    private void fail(Throwable failure) {
        if (done) {
            return;
        }
        done = true;
        if (connection != null) {
            endpoint.release(connection, false);
            connection = null;
        }
        onError.accept(failure);
    }

    private IOException timedOut() {
        String target = request.endpoint().getHost() + ":" + endpoint.port;
        if (connection == null) {
            return new IOException("no free connection to " + target + " before the timeout ("
                    + NioHttpTransport.MAX_CONNECTIONS_PER_ENDPOINT + " busy)");
        }
        if (!connection.connected()) {
            return new ConnectException("connect to " + target + " timed out");
        }
        return new SocketTimeoutException("request to " + request.endpoint() + " timed out");
    }
}
