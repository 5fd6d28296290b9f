package dev.vigil.testapps.servlet.jakarta;

import org.apache.catalina.Context;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.servlet.ServletContainer;

import java.nio.file.Files;

/**
 * Embedded Tomcat: the {@link ItemServlets} in the root context, and Jersey ({@link JerseyItemsResource}) at
 * {@code /jaxrs/*} in the context {@code /shop}. Prints {@code READY <port>}.
 */
public final class TomcatApp {
    private TomcatApp() {
    }

    public static void main(String[] args) throws Exception {
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(Files.createTempDirectory("vigil-tomcat").toString());
        Connector connector = new Connector();
        connector.setPort(0);
        connector.setProperty("address", "127.0.0.1");
        tomcat.setConnector(connector);

        Context root = tomcat.addContext("", null);
        FilterDef filter = new FilterDef();
        filter.setFilterName("wrapping");
        filter.setFilter(new ItemServlets.WrappingFilter());
        filter.setAsyncSupported("true");
        root.addFilterDef(filter);
        FilterMap filterMap = new FilterMap();
        filterMap.setFilterName("wrapping");
        filterMap.addURLPattern("/*");
        root.addFilterMap(filterMap);
        Tomcat.addServlet(root, "items", new ItemServlets.ItemsServlet());
        root.addServletMappingDecoded("/api/items/*", "items");
        Tomcat.addServlet(root, "render", new ItemServlets.RenderServlet());
        root.addServletMappingDecoded("/render", "render");
        Tomcat.addServlet(root, "fail", new ItemServlets.FailServlet());
        root.addServletMappingDecoded("/api/fail", "fail");
        Tomcat.addServlet(root, "async", new ItemServlets.AsyncServlet()).setAsyncSupported(true);
        root.addServletMappingDecoded("/api/async/*", "async");
        Tomcat.addServlet(root, "complete", new ItemServlets.CompleteServlet());
        root.addServletMappingDecoded("/api/complete", "complete");

        Context shop = tomcat.addContext("/shop", null);
        Tomcat.addServlet(shop, "jersey", new ServletContainer(new ResourceConfig(JerseyItemsResource.class)));
        shop.addServletMappingDecoded("/jaxrs/*", "jersey");

        tomcat.start();
        System.out.println("READY " + connector.getLocalPort());
        tomcat.getServer().await();
    }
}
