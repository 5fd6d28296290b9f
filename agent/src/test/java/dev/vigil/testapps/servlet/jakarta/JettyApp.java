package dev.vigil.testapps.servlet.jakarta;

import jakarta.servlet.DispatcherType;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

import java.util.EnumSet;

/** Embedded Jetty 12 (ee10): the {@link ItemServlets} in the root context. Prints {@code READY <port>}. */
public final class JettyApp {
    private JettyApp() {
    }

    public static void main(String[] args) throws Exception {
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);

        ServletContextHandler context = new ServletContextHandler("/");
        FilterHolder filter = new FilterHolder(new ItemServlets.WrappingFilter());
        filter.setAsyncSupported(true);
        context.addFilter(filter, "/*", EnumSet.of(DispatcherType.REQUEST));
        context.addServlet(new ServletHolder(new ItemServlets.ItemsServlet()), "/api/items/*");
        context.addServlet(new ServletHolder(new ItemServlets.RenderServlet()), "/render");
        context.addServlet(new ServletHolder(new ItemServlets.FailServlet()), "/api/fail");
        ServletHolder async = new ServletHolder(new ItemServlets.AsyncServlet());
        async.setAsyncSupported(true);
        context.addServlet(async, "/api/async/*");
        context.addServlet(new ServletHolder(new ItemServlets.CompleteServlet()), "/api/complete");
        server.setHandler(context);

        server.start();
        System.out.println("READY " + connector.getLocalPort());
        server.join();
    }
}
