package dev.vigil.sample.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/** Small statistics helpers: medians over rounds, percentiles over latency samples, resampling the rounds. */
final class Stats {
    private Stats() {
    }

    static double median(List<Double> values) {
        double[] v = values.stream().mapToDouble(Double::doubleValue).filter(d -> !Double.isNaN(d)).sorted().toArray();
        if (v.length == 0) {
            return Double.NaN;
        }
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    static double min(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).filter(d -> !Double.isNaN(d)).min().orElse(Double.NaN);
    }

    static double max(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).filter(d -> !Double.isNaN(d)).max().orElse(Double.NaN);
    }

    /** Nearest-rank percentile ({@code p} in 0..100) of unsorted samples; the array is sorted in place. */
    static double percentile(long[] samples, double p) {
        if (samples.length == 0) {
            return Double.NaN;
        }
        Arrays.sort(samples);
        int rank = (int) Math.ceil(p / 100.0 * samples.length);
        return samples[Math.max(0, Math.min(samples.length - 1, rank - 1))];
    }

    /**
     * Round indices drawn with replacement, as many as there are rounds: one bootstrap resample. The modes' values
     * of a round are drawn together, so that a resample keeps the pairing of each round's runs.
     */
    static int[] resample(int rounds, Random random) {
        int[] picked = new int[rounds];
        for (int i = 0; i < rounds; i++) {
            picked[i] = random.nextInt(rounds);
        }
        return picked;
    }

    /** The values at the picked round indices, in the order picked. */
    static <T> List<T> pick(List<T> values, int[] picked) {
        List<T> out = new ArrayList<>(picked.length);
        for (int i : picked) {
            out.add(values.get(i));
        }
        return out;
    }

    /**
     * Percentile bootstrap interval of the median of {@code values} ({@code level} e.g. 0.9): how far the median of
     * so few rounds could move with other rounds of the same kind.
     */
    static double[] medianInterval(List<Double> values, double level, int resamples, Random random) {
        if (values.isEmpty()) {
            return new double[] {Double.NaN, Double.NaN};
        }
        double[] medians = new double[resamples];
        for (int b = 0; b < resamples; b++) {
            medians[b] = median(pick(values, resample(values.size(), random)));
        }
        Arrays.sort(medians);
        double tail = (1 - level) / 2;
        return new double[] {medians[(int) Math.floor(tail * (resamples - 1))],
                medians[(int) Math.ceil((1 - tail) * (resamples - 1))]};
    }
}
