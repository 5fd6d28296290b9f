package dev.vigil.testapps;

import com.sun.net.httpserver.HttpServer;

import java.net.InetSocketAddress;
import java.util.TreeSet;
import java.util.concurrent.Executors;

/**
 * Test application that lists its own live threads: {@code /threads} answers their names, one per line;
 * {@code /api/items} answers 200. Prints {@code READY <port>} once listening.
 */
public final class ThreadsApp {
    private ThreadsApp() {
    }

    public static void main(String[] args) throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
        server.setExecutor(Executors.newFixedThreadPool(2));
        server.createContext("/api/items", exchange -> JdkHttpServerApp.respond(exchange, 200, "items"));
        server.createContext("/threads", exchange -> {
            TreeSet<String> names = new TreeSet<>();
            for (Thread thread : Thread.getAllStackTraces().keySet()) {
                names.add(thread.getName());
            }
            JdkHttpServerApp.respond(exchange, 200, String.join("\n", names));
        });
        server.start();
        System.out.println("READY " + server.getAddress().getPort());
    }
}
