package dev.vigil.testapps.servlet.javax;

import dev.vigil.testapps.Clients;
import javax.servlet.AsyncContext;
import javax.servlet.Filter;
import javax.servlet.FilterChain;
import javax.servlet.ServletException;
import javax.servlet.ServletRequest;
import javax.servlet.ServletResponse;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletRequestWrapper;
import javax.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The servlet endpoints every javax.servlet container test app deploys, with no tracing code. Mappings (set by each app):
 * <ul>
 *   <li>{@code /*} {@link WrappingFilter}: wraps the request, adds {@code X-Filtered: yes};</li>
 *   <li>{@code /api/items/*} {@link ItemsServlet}: forwards to {@code /render};</li>
 *   <li>{@code /render} {@link RenderServlet}: calls {@code ?target=} with the JDK HttpClient and returns its
 *       answer, or returns the item id;</li>
 *   <li>{@code /api/fail} {@link FailServlet}: throws {@link IllegalStateException};</li>
 *   <li>{@code /api/async/*} {@link AsyncServlet}: starts async mode and parks the request, unanswered;</li>
 *   <li>{@code /api/complete} {@link CompleteServlet}: answers the oldest parked request with 202, completes it.</li>
 * </ul>
 * Everything is registered with async support on.
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

    private static final BlockingQueue<AsyncContext> PARKED = new LinkedBlockingQueue<>();

    public static final class AsyncServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) {
            AsyncContext async = request.startAsync();
            async.setTimeout(30_000);
            PARKED.add(async);
        }
    }

    public static final class CompleteServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            AsyncContext async;
            try {
                async = PARKED.poll(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                async = null;
            }
            if (async == null) {
                response.sendError(404, "no parked request");
                return;
            }
            HttpServletResponse parked = (HttpServletResponse) async.getResponse();
            parked.setStatus(202);
            parked.getOutputStream().write("accepted".getBytes(StandardCharsets.UTF_8));
            async.complete();
            response.getOutputStream().write("completed".getBytes(StandardCharsets.UTF_8));
        }
    }
}
