package dev.vigil.sample;

import dev.vigil.sample.bench.Load;

import java.time.Duration;
import java.util.Map;

/** Drives a fixed request rate at one URL for a given time ({@link Load}'s open loop), then prints counts. */
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
        Load.RateResult result = new Load(plan.url()).fixedRate(plan.rps(), plan.duration().toSeconds());
        System.out.println("load: " + result.ok() + " ok, " + result.failed() + " failed at " + plan.rps() + " req/s to "
                + plan.url());
    }
}
