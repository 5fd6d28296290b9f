package dev.vigil.testapps;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.util.concurrent.EventExecutor;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Test application for event-loop lag, with no agent code. Prints {@code READY 0}, then obeys lines on standard
 * input:
 * <ul>
 *   <li>{@code start [loops]}: creates a Netty {@code NioEventLoopGroup} of two (or {@code loops}) loops (their
 *       threads start on their first task, here and now), a {@code com.sun.net.httpserver} server with {@code /slow?ms=N} (the handler runs
 *       {@link #slowRequest} for N ms) and a one-thread pool {@code saturated-pool-…}; prints
 *       {@code NETTY <version>} and {@code HTTP <port>};</li>
 *   <li>{@code block N}: one event loop runs {@link #blockEventLoop} for N ms; prints {@code BLOCK-SUBMITTED};</li>
 *   <li>{@code saturate N MS}: N tasks of MS ms each into the one-thread pool (the last waits (N-1)·MS in its
 *       queue); prints {@code SATURATED}.</li>
 * </ul>
 */
public final class LoopLagApp {
    private LoopLagApp() {
    }

    public static void main(String[] args) throws Exception {
        System.out.println("READY 0");
        BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII));
        NioEventLoopGroup loops = null;
        ThreadPoolExecutor pool = null;
        for (String line; (line = stdin.readLine()) != null; ) {
            String[] words = line.trim().split(" ");
            switch (words[0]) {
                case "start" -> {
                    loops = new NioEventLoopGroup(words.length > 1 ? Integer.parseInt(words[1]) : 2);
                    for (EventExecutor loop : loops) {
                        // each loop serves a channel, as a server's loops do (loops without one are probed less often)
                        ((io.netty.channel.EventLoop) loop).register(new io.netty.channel.socket.nio.NioSocketChannel())
                                .syncUninterruptibly();
                    }
                    AtomicInteger n = new AtomicInteger();
                    pool = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                            r -> new Thread(r, "saturated-pool-" + n.incrementAndGet()));
                    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
                    server.setExecutor(Executors.newFixedThreadPool(2));
                    server.createContext("/slow", LoopLagApp::slowRequest);
                    server.start();
                    System.out.println("NETTY " + io.netty.util.Version.identify().get("netty-common").artifactVersion());
                    System.out.println("HTTP " + server.getAddress().getPort());
                }
                case "block" -> {
                    long ms = Long.parseLong(words[1]);
                    loops.next().execute(() -> blockEventLoop(ms));
                    System.out.println("BLOCK-SUBMITTED");
                }
                case "saturate" -> {
                    int tasks = Integer.parseInt(words[1]);
                    long ms = Long.parseLong(words[2]);
                    for (int i = 0; i < tasks; i++) {
                        pool.execute(() -> busy(ms));
                    }
                    System.out.println("SATURATED");
                }
                default -> System.out.println("UNKNOWN " + line);
            }
        }
    }

    /** A handler that blocks its event loop: what the agent must point at. */
    static void blockEventLoop(long millis) {
        busy(millis);
    }

    static void slowRequest(HttpExchange exchange) throws java.io.IOException {
        String query = exchange.getRequestURI().getQuery();
        busy(Long.parseLong(query.substring(query.indexOf('=') + 1)));
        byte[] body = "slow".getBytes(StandardCharsets.US_ASCII);
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    /** Occupies the calling thread for {@code millis}, as blocking I/O would. */
    static void busy(long millis) {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        for (long left; (left = end - System.nanoTime()) > 0; ) {
            java.util.concurrent.locks.LockSupport.parkNanos(left);
        }
    }
}
