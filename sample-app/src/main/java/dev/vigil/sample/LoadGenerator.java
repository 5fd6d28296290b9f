package dev.vigil.sample;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** Drives a fixed request rate at one URL for a given time, then prints counts. */
final class LoadGenerator {
    record Plan(double rps, Duration duration, String url) {
    }

    private LoadGenerator() {
    }

    static Plan parse(String spec) {
        Map<String, String> o = ShopApp.options(spec);
        return new Plan(Double.parseDouble(o.getOrDefault("rps", "5")),
                Duration.ofSeconds(Long.parseLong(o.getOrDefault("duration", "60"))),
                o.getOrDefault("url", "http://localhost:8080/checkout"));
    }

    static void run(Plan plan) throws InterruptedException {
        HttpClient client = HttpClient.newHttpClient();
        AtomicLong ok = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        long periodMicros = (long) (1_000_000 / plan.rps());
        timer.scheduleAtFixedRate(() -> client.sendAsync(HttpRequest.newBuilder(URI.create(plan.url()))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding())
                .whenComplete((r, e) -> (e == null && r.statusCode() < 400 ? ok : failed).incrementAndGet()),
                0, periodMicros, TimeUnit.MICROSECONDS);
        timer.awaitTermination(plan.duration().toMillis(), TimeUnit.MILLISECONDS);
        timer.shutdownNow();
        System.out.println("load: " + ok.get() + " ok, " + failed.get() + " failed at " + plan.rps() + " req/s to " + plan.url());
    }
}
