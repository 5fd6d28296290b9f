package dev.vigil.testapps;

import org.apache.hc.client5.http.async.methods.SimpleHttpRequest;
import org.apache.hc.client5.http.async.methods.SimpleHttpResponse;
import org.apache.hc.client5.http.async.methods.SimpleRequestBuilder;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.io.entity.EntityUtils;

import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Apache HttpClient 5 calls; a separate class so apps without the library on their class path never load it. */
final class ApacheClients {
    private static final CloseableHttpClient CLASSIC = HttpClients.createDefault();
    private static final CloseableHttpAsyncClient ASYNC = HttpAsyncClients.createDefault();

    static {
        ASYNC.start();
    }

    private ApacheClients() {
    }

    static String call(String client, String url) throws Exception {
        switch (client) {
            case "apache-classic":
                // the response-handler overload: execute(request, handler) -> execute(target, request, ctx, handler)
                return CLASSIC.execute(new HttpGet(url),
                        response -> response.getCode() + "\n" + EntityUtils.toString(response.getEntity()));
            case "apache-classic-target": {
                // a relative request and a separate target host: execute(HttpHost, ClassicHttpRequest, handler)
                URI uri = URI.create(url);
                return CLASSIC.execute(new HttpHost(uri.getScheme(), uri.getHost(), uri.getPort()),
                        new HttpGet(uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery())),
                        response -> response.getCode() + "\n" + EntityUtils.toString(response.getEntity()));
            }
            case "apache-async": {
                CompletableFuture<String> result = new CompletableFuture<>();
                SimpleHttpRequest request = SimpleRequestBuilder.get(url).build();
                ASYNC.execute(request, new FutureCallback<SimpleHttpResponse>() {
                    @Override
                    public void completed(SimpleHttpResponse response) {
                        result.complete(response.getCode() + "\n" + response.getBodyText());
                    }

                    @Override
                    public void failed(Exception ex) {
                        result.completeExceptionally(ex);
                    }

                    @Override
                    public void cancelled() {
                        result.cancel(false);
                    }
                });
                return result.get(20, TimeUnit.SECONDS);
            }
            default:
                throw new IllegalArgumentException("unknown client " + client);
        }
    }
}
