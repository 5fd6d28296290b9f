package dev.vigil.sample.bench;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class StatsTest {
    @Test
    void medianIntervalOfEqualRoundsIsThatValue() {
        double[] interval = Stats.medianInterval(List.of(4.0, 4.0, 4.0, 4.0, 4.0), 0.9, 500, new Random(1));

        assertThat(interval).containsExactly(4.0, 4.0);
    }

    @Test
    void medianIntervalWidensWithTheSpreadOfTheRoundsAndHoldsTheMedian() {
        List<Double> tight = List.of(5.0, 5.1, 4.9, 5.0, 5.2, 4.8, 5.0, 5.1, 4.9);
        List<Double> wide = List.of(5.0, 9.0, 1.0, 5.0, 13.0, -3.0, 5.0, 9.0, 1.0);

        double[] t = Stats.medianInterval(tight, 0.9, 2000, new Random(7));
        double[] w = Stats.medianInterval(wide, 0.9, 2000, new Random(7));

        assertThat(t[0]).isLessThanOrEqualTo(5.0);
        assertThat(t[1]).isGreaterThanOrEqualTo(5.0);
        assertThat(w[1] - w[0]).isGreaterThan(5 * (t[1] - t[0]));
        assertThat(w[0]).isGreaterThanOrEqualTo(-3.0);
        assertThat(w[1]).isLessThanOrEqualTo(13.0);
    }

    @Test
    void aResampleDrawsRoundIndicesAndTheSameSeedDrawsTheSame() {
        int[] a = Stats.resample(9, new Random(3));
        int[] b = Stats.resample(9, new Random(3));

        assertThat(a).hasSize(9).containsExactly(b);
        assertThat(Arrays.stream(a).boxed()).allSatisfy(i -> assertThat(i).isBetween(0, 8));
    }

    @Test
    void roundsPickedTogetherKeepEachRoundsModesPaired() {
        Overhead.Rounds rounds = new Overhead.Rounds(
                Map.of("none", Map.of("cpu", List.of(1.0, 2.0, 3.0)),
                        "vigil", Map.of("cpu", List.of(10.0, 20.0, 30.0))),
                Map.of("none", List.of(new long[] {1000}, new long[] {2000}, new long[] {3000}),
                        "vigil", List.of(new long[] {1000}, new long[] {4000}, new long[] {9000})));

        Overhead.Rounds picked = rounds.pick(new int[] {2, 2, 0});

        assertThat(picked.values("none", "cpu")).containsExactly(3.0, 3.0, 1.0);
        assertThat(picked.values("vigil", "cpu")).containsExactly(30.0, 30.0, 10.0);
        assertThat(picked.over("cpu", "vigil")).isEqualTo(9.0); // medians 30 and 3
        assertThat(rounds.pooledP99("vigil")).isEqualTo(9.0);
        assertThat(picked.pooledOver("vigil")).isEqualTo(2.0); // 9 ms against 3 ms
    }
}
