package dev.vigil.agent.runtime.jfr;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class LiveSetTrendTest {
    private static final long START = 1_000_000L;

    @Test
    void steadyGrowthGivesItsSlope() {
        LiveSetTrend trend = new LiveSetTrend(START, 100_000, 0);
        for (int s = 0; s < 100; s++) { // one GC a second, live set +1 MB/s from 50 MB
            trend.onHeapAfterGc(START + s * 1000L, 50_000_000L + s * 1_000_000L);
        }
        assertThat(trend.bytesPerSecond(START + 99_000)).isCloseTo(1_000_000, within(1.0));
    }

    @Test
    void g1SawtoothFollowsTheFloorsNotTheTeeth() {
        // young GCs leave old garbage behind: after-GC values climb 0..40 MB inside each 10 s slot, then a mixed GC
        // drops them back to a live set that is flat at 100 MB
        LiveSetTrend trend = new LiveSetTrend(START, 100_000, 0);
        for (int s = 0; s < 100; s++) {
            long garbage = (s % 10) * 4_000_000L;
            trend.onHeapAfterGc(START + s * 1000L, 100_000_000L + garbage);
        }
        assertThat(trend.bytesPerSecond(START + 99_500)).isCloseTo(0, within(1.0));

        // a plain least-squares over every sample would have seen the teeth; the floors with a real leak see it
        LiveSetTrend leaking = new LiveSetTrend(START, 100_000, 0);
        for (int s = 0; s < 100; s++) {
            long garbage = (s % 10) * 4_000_000L;
            leaking.onHeapAfterGc(START + s * 1000L, 100_000_000L + s * 200_000L + garbage);
        }
        assertThat(leaking.bytesPerSecond(START + 99_500)).isCloseTo(200_000, within(2_000.0));
    }

    @Test
    void shrinkingLiveSetIsNegative() {
        LiveSetTrend trend = new LiveSetTrend(START, 10_000, 0);
        for (int s = 0; s < 10; s++) {
            trend.onHeapAfterGc(START + s * 1000L, 80_000_000L - s * 500_000L);
        }
        assertThat(trend.bytesPerSecond(START + 9_000)).isCloseTo(-500_000, within(1.0));
    }

    @Test
    void warmupSamplesAreIgnored() {
        LiveSetTrend trend = new LiveSetTrend(START, 10_000, 5_000);
        for (int s = 0; s < 5; s++) { // start-up: a steep climb that must not count
            trend.onHeapAfterGc(START + s * 1000L, s * 100_000_000L);
        }
        assertThat(trend.floorCount()).isZero();
        for (int s = 5; s < 15; s++) {
            trend.onHeapAfterGc(START + s * 1000L, 500_000_000L);
        }
        assertThat(trend.bytesPerSecond(START + 14_000)).isCloseTo(0, within(1e-6));
    }

    @Test
    void unknownUntilThreeFloorsAndAfterAWindowWithoutCollections() {
        LiveSetTrend trend = new LiveSetTrend(START, 10_000, 0);
        trend.onHeapAfterGc(START, 1_000);
        trend.onHeapAfterGc(START + 1_000, 2_000);
        assertThat(trend.bytesPerSecond(START + 1_000)).isNaN();
        trend.onHeapAfterGc(START + 2_000, 3_000);
        assertThat(trend.bytesPerSecond(START + 2_000)).isCloseTo(1_000, within(1e-6));
        assertThat(trend.bytesPerSecond(START + 60_000)).isNaN();
        assertThat(trend.floorCount()).isZero();
    }

    @Test
    void oldSlotsLeaveTheWindow() {
        LiveSetTrend trend = new LiveSetTrend(START, 10_000, 0);
        for (int s = 0; s < 10; s++) { // a leak that stopped
            trend.onHeapAfterGc(START + s * 1000L, s * 1_000_000L);
        }
        for (int s = 10; s < 30; s++) {
            trend.onHeapAfterGc(START + s * 1000L, 10_000_000L);
        }
        assertThat(trend.floorCount()).isLessThanOrEqualTo(LiveSetTrend.SLOTS);
        assertThat(trend.bytesPerSecond(START + 29_000)).isCloseTo(0, within(1e-6));
    }
}
