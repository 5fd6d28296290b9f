package dev.vigil.testapps.loaders;

import com.sun.net.httpserver.HttpServer;

import java.io.File;
import java.net.InetSocketAddress;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs the same servlet request in three class loaders, each with its own copy of {@code jakarta.servlet}:
 * the application loader (baseline), a child-first "webapp" loader (parent = application loader, which has the
 * servlet API too) and a loader with {@code parent = null} (sees only the boot loader's classes: not the
 * application's, not {@code java.net.http}). Prints for each {@code LOADER <name> <status> <Servlet's loader>
 * <body>}, one {@code SEES <loader> <class> <true|false>} line per probe, then {@code READY <port>} of a
 * small downstream server that the servlets call.
 */
public final class IsolatedLoadersApp {
    private IsolatedLoadersApp() {
    }

    public static void main(String[] args) throws Exception {
        HttpServer downstream = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 10);
        downstream.createContext("/downstream", exchange -> {
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        downstream.start();
        String downstreamUrl = "http://127.0.0.1:" + downstream.getAddress().getPort() + "/downstream";

        URL[] urls = urlsOf("jakarta.servlet-api", "test-classes");
        ClassLoader childFirst = new ChildFirstClassLoader("child-first", urls, ClassLoader.getSystemClassLoader());
        ClassLoader parentNull = new URLClassLoader("parent-null", urls, null);

        run("system", ClassLoader.getSystemClassLoader(), downstreamUrl);
        run("child-first", childFirst, downstreamUrl);
        run("parent-null", parentNull, null);

        for (ClassLoader loader : List.of(childFirst, parentNull)) {
            for (String probe : List.of("java.net.http.HttpClient", "dev.vigil.bridge.Hooks", "jakarta.servlet.Servlet")) {
                boolean sees;
                try {
                    Class<?> c = Class.forName(probe, false, loader);
                    sees = true;
                    if (probe.startsWith("jakarta.")) {
                        System.out.println("OWN " + loader.getName() + " " + probe + " "
                                + (c != Class.forName(probe, false, ClassLoader.getSystemClassLoader())));
                    }
                } catch (ClassNotFoundException e) {
                    sees = false;
                }
                System.out.println("SEES " + loader.getName() + " " + probe + " " + sees);
            }
        }
        System.out.println("READY " + downstream.getAddress().getPort());
    }

    private static void run(String name, ClassLoader loader, String downstreamUrl) {
        try {
            Object result = Class.forName("dev.vigil.testapps.loaders.ServletDriver", true, loader)
                    .getMethod("drive", String.class, String.class, String.class)
                    .invoke(null, "/hello", "loader=" + name, downstreamUrl);
            System.out.println("LOADER " + name + " " + String.valueOf(result).replace('\n', '|'));
        } catch (Throwable t) {
            System.out.println("LOADER " + name + " FAILED " + t);
            t.printStackTrace(System.out);
        }
    }

    /** This JVM's class path entries whose path contains one of the fragments, as URLs. */
    private static URL[] urlsOf(String... fragments) throws Exception {
        List<URL> out = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            for (String fragment : fragments) {
                if (entry.contains(fragment)) {
                    out.add(new File(entry).toURI().toURL());
                    break;
                }
            }
        }
        if (out.size() != fragments.length) {
            throw new IllegalStateException("class path lacks one of " + List.of(fragments) + ": " + out);
        }
        return out.toArray(new URL[0]);
    }
}
