package dev.vigil.testapps.loaders;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;

/**
 * A plain servlet; with a {@code downstream} request attribute it also calls that URL with the JDK HttpClient
 * (through {@link DownstreamCall}, so that loaders which cannot see {@code java.net.http} never link it).
 */
public class HelloServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Object downstream = req.getAttribute("downstream");
        String body = "hello from " + getClass().getClassLoader().getName();
        if (downstream != null) {
            body += "\ndownstream " + DownstreamCall.get((String) downstream);
        }
        resp.setStatus(200);
        resp.getWriter().print(body);
    }
}
