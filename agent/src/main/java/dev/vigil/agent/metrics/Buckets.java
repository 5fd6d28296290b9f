package dev.vigil.agent.metrics;

import java.time.Duration;

/** Histogram bucket boundaries shared by the duration meters. */
public final class Buckets {
    /**
     * The semantic conventions' advised boundaries for HTTP and messaging operation durations, seconds:
     * {@code http.server.request.duration}, {@code http.client.request.duration},
     * {@code messaging.client.operation.duration}, {@code messaging.process.duration}.
     */
    private static final double[] ADVISED_SECONDS = {0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10};

    private Buckets() {
    }

    /** The advised operation-duration boundaries, as Micrometer service-level objectives. */
    public static Duration[] advisedDurations() {
        return seconds(ADVISED_SECONDS);
    }

    /** Boundaries given in seconds, as Micrometer service-level objectives. */
    public static Duration[] seconds(double... seconds) {
        Duration[] out = new Duration[seconds.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = Duration.ofNanos((long) (seconds[i] * 1e9));
        }
        return out;
    }
}
