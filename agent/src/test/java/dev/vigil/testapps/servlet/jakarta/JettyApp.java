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
        context.addFilter(new FilterHolder(new ItemServlets.WrappingFilter()), "/*", EnumSet.of(DispatcherType.REQUEST));
        context.addServlet(new ServletHolder(new ItemServlets.ItemsServlet()), "/api/items/*");
        context.addServlet(new ServletHolder(new ItemServlets.RenderServlet()), "/render");
        context.addServlet(new ServletHolder(new ItemServlets.FailServlet()), "/api/fail");
        server.setHandler(context);

        server.start();
        System.out.println("READY " + connector.getLocalPort());
        server.join();
    }
}
