package dev.vigil.sample.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The two load shapes: closed loop at fixed concurrency (throughput) and open loop at a fixed rate (latency). The
 * open loop also drives the demo ({@code ShopApp load …}).
 */
public final class Load {
    /** Result of a fixed-rate run: latencies in microseconds of the successful requests, and the failure count. */
    public record RateResult(long[] latenciesMicros, long ok, long failed) {
    }

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private final HttpRequest request;

    public Load(String url) {
        request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET().build();
    }

    /** One request; true on a 2xx. Connection refused and the like count as false. */
    boolean once() {
        try {
            int status = client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            return status >= 200 && status < 300;
        } catch (Exception e) {
            return false;
        }
    }

    /** {@code threads} loops sending back to back for {@code seconds}; returns successful requests per second. */
    double throughput(int threads, double seconds) throws InterruptedException {
        AtomicLong ok = new AtomicLong();
        long end = System.nanoTime() + (long) (seconds * 1e9);
        long start = System.nanoTime();
        List<Thread> workers = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            Thread t = new Thread(() -> {
                while (System.nanoTime() < end) {
                    if (once()) {
                        ok.incrementAndGet();
                    }
                }
            }, "load-" + i);
            t.start();
            workers.add(t);
        }
        for (Thread t : workers) {
            t.join();
        }
        return ok.get() / ((System.nanoTime() - start) / 1e9);
    }

    /**
     * Open loop: request {@code i} is due at {@code start + i / rate} and is sent then whether or not earlier ones
     * have answered; its latency is measured from the time it was due, not from when it was sent. A stalled server
     * therefore shows up in the percentiles instead of slowing the generator down (no coordinated omission).
     */
    public RateResult fixedRate(double rate, double seconds) throws InterruptedException {
        int n = (int) (rate * seconds);
        long[] latencies = new long[n];
        AtomicLong ok = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        CountDownLatch done = new CountDownLatch(n);
        long periodNanos = (long) (1e9 / rate);
        long start = System.nanoTime() + 10_000_000;
        for (int i = 0; i < n; i++) {
            long due = start + i * periodNanos;
            for (long wait; (wait = due - System.nanoTime()) > 0; ) {
                LockSupport.parkNanos(wait);
            }
            int slot = i;
            client.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((r, e) -> {
                long micros = (System.nanoTime() - due) / 1000;
                if (e == null && r.statusCode() >= 200 && r.statusCode() < 300) {
                    latencies[slot] = micros;
                    ok.incrementAndGet();
                } else {
                    latencies[slot] = -1;
                    failed.incrementAndGet();
                }
                done.countDown();
            });
        }
        if (!done.await(30, TimeUnit.SECONDS)) {
            System.err.println("fixed-rate phase: " + done.getCount() + " requests still open after 30 s");
        }
        long[] okLatencies = java.util.Arrays.stream(latencies).filter(l -> l > 0).toArray();
        return new RateResult(okLatencies, ok.get(), failed.get() + done.getCount());
    }
}
