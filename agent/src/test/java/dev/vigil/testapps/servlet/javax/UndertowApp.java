package dev.vigil.testapps.servlet.javax;

import io.undertow.Undertow;
import io.undertow.servlet.Servlets;
import io.undertow.servlet.api.DeploymentInfo;
import io.undertow.servlet.api.DeploymentManager;

import javax.servlet.DispatcherType;
import java.net.InetSocketAddress;

/** Undertow 2.2 (javax.servlet 4): the {@link ItemServlets} in the root context. Prints {@code READY <port>}. */
public final class UndertowApp {
    private UndertowApp() {
    }

    public static void main(String[] args) throws Exception {
        DeploymentInfo deployment = Servlets.deployment()
                .setClassLoader(UndertowApp.class.getClassLoader())
                .setContextPath("/")
                .setDeploymentName("items")
                .addFilter(Servlets.filter("wrapping", ItemServlets.WrappingFilter.class).setAsyncSupported(true))
                .addFilterUrlMapping("wrapping", "/*", DispatcherType.REQUEST)
                .addServlets(
                        Servlets.servlet("items", ItemServlets.ItemsServlet.class).addMapping("/api/items/*"),
                        Servlets.servlet("render", ItemServlets.RenderServlet.class).addMapping("/render"),
                        Servlets.servlet("fail", ItemServlets.FailServlet.class).addMapping("/api/fail"),
                        Servlets.servlet("async", ItemServlets.AsyncServlet.class).addMapping("/api/async/*")
                                .setAsyncSupported(true),
                        Servlets.servlet("complete", ItemServlets.CompleteServlet.class).addMapping("/api/complete"));
        DeploymentManager manager = Servlets.defaultContainer().addDeployment(deployment);
        manager.deploy();
        Undertow server = Undertow.builder()
                .addHttpListener(0, "127.0.0.1")
                .setHandler(manager.start())
                .build();
        server.start();
        System.out.println("READY " + ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort());
    }
}
