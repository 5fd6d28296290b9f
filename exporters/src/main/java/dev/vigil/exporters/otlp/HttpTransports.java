package dev.vigil.exporters.otlp;

import io.opentelemetry.common.ComponentLoader;
import io.opentelemetry.sdk.common.export.HttpSenderConfig;
import io.opentelemetry.sdk.common.export.HttpSenderProvider;

import java.net.ProxySelector;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The transports of the OTLP exporters, shared by span and metric export, chosen per endpoint:
 * <ul>
 *   <li>{@code http://} without a proxy (a collector on the host or in the cluster, the usual case): the polled
 *       non-blocking client ({@link NioHttpTransport}), run by jobs on the agent's scheduler — no thread of its own,
 *       no {@code SSLContext}; the collector's host is resolved when a connection opens;</li>
 *   <li>{@code https://}, or a proxy configured: a JDK {@code HttpClient} ({@link JdkTransport}), created only when
 *       such an endpoint is configured. It adds its selector thread ({@code HttpClient-N-SelectorManager}) to the
 *       host for as long as the agent runs, and one hop per response through the {@code CompletableFuture}
 *       default executor. One client serves every such endpoint without its own proxy or TLS settings.</li>
 * </ul>
 * The completions of both run on the scheduler thread.
 */
public final class HttpTransports implements AutoCloseable {
    private final ScheduledExecutorService scheduler;
    private final NioHttpTransport polled;
    private JdkTransport jdk;

    public HttpTransports(ScheduledExecutorService scheduler) {
        this.scheduler = scheduler;
        this.polled = new NioHttpTransport(scheduler);
    }

    HttpTransport forConfig(HttpSenderConfig config) {
        ProxySelector proxy = config.getProxyOptions() == null ? null : config.getProxyOptions().getProxySelector();
        String scheme = config.getEndpoint().getScheme();
        if (proxy == null && scheme != null && scheme.toLowerCase(Locale.ROOT).equals("http")) {
            return polled;
        }
        if (proxy != null || config.getSslContext() != null) {
            return new JdkTransport(scheduler, config.getConnectTimeout(), proxy, config.getSslContext());
        }
        synchronized (this) {
            if (jdk == null) {
                jdk = new JdkTransport(scheduler, config.getConnectTimeout(), null, null);
            }
            return jdk;
        }
    }

    /**
     * What the exporter builders' {@code setComponentLoader} takes: it answers the sender lookup with a provider of
     * {@link SharedHttpSender} on these transports (no ServiceLoader scan) and delegates every other lookup to the
     * exporters' class loader.
     */
    public ComponentLoader componentLoader() {
        HttpSenderProvider provider = config -> new SharedHttpSender(forConfig(config), scheduler, config);
        ComponentLoader others = ComponentLoader.forClassLoader(HttpTransports.class.getClassLoader());
        return new ComponentLoader() {
            @Override
            @SuppressWarnings("unchecked")
            public <T> Iterable<T> load(Class<T> type) {
                return type == HttpSenderProvider.class ? List.of((T) provider) : others.load(type);
            }
        };
    }

    /** Closes the idle connections of the polled transport; the JDK client, if any, is left to the JVM's exit. */
    @Override
    public void close() {
        polled.close();
    }
}
