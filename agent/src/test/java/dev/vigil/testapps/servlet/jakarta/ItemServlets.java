package dev.vigil.testapps.servlet.jakarta;

import dev.vigil.testapps.Clients;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The servlet endpoints every jakarta container test app deploys, with no tracing code. Mappings (set by each app):
 * <ul>
 *   <li>{@code /*} {@link WrappingFilter}: wraps the request, adds {@code X-Filtered: yes};</li>
 *   <li>{@code /api/items/*} {@link ItemsServlet}: forwards to {@code /render};</li>
 *   <li>{@code /render} {@link RenderServlet}: calls {@code ?target=} with the JDK HttpClient and returns its
 *       answer, or returns the item id;</li>
 *   <li>{@code /api/fail} {@link FailServlet}: throws {@link IllegalStateException}.</li>
 * </ul>
 */
public final class ItemServlets {
    private ItemServlets() {
    }

    public static final class WrappingFilter implements Filter {
        @Override
        public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
                throws IOException, ServletException {
            ((HttpServletResponse) response).setHeader("X-Filtered", "yes");
            chain.doFilter(new HttpServletRequestWrapper((HttpServletRequest) request), response);
        }
    }

    public static final class ItemsServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response)
                throws ServletException, IOException {
            request.setAttribute("item", request.getPathInfo());
            request.getRequestDispatcher("/render").forward(request, response);
        }
    }

    public static final class RenderServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            String target = request.getParameter("target");
            String body;
            try {
                body = target == null ? "item " + request.getAttribute("item") : Clients.call("jdk", target);
            } catch (Exception e) {
                response.setStatus(502);
                body = e.toString();
            }
            response.setContentType("text/plain");
            response.getOutputStream().write(body.getBytes(StandardCharsets.UTF_8));
        }
    }

    public static final class FailServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) {
            throw new IllegalStateException("boom");
        }
    }
}
