package dev.vigil.exporters;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class AgentSchedulerTest {
    private final AgentScheduler scheduler = new AgentScheduler(Thread::new);

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
    }

    private static void spin(long millis) {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (System.nanoTime() < end) {
            Thread.onSpinWait();
        }
    }

    @Test
    void busyTimeCountsOnlyTheRunningTimeOfJobsAfterTheGivenMoment() throws Exception {
        long before = System.nanoTime();
        scheduler.submit(() -> spin(100)).get();
        long between = System.nanoTime();
        scheduler.submit(() -> spin(50)).get();
        long[] busy = scheduler.submit(() -> new long[] {scheduler.busyNanosSince(before),
                scheduler.busyNanosSince(between), scheduler.busyNanosSince(System.nanoTime())}).get();
        assertThat(TimeUnit.NANOSECONDS.toMillis(busy[0])).as("both jobs").isBetween(150L, 400L);
        assertThat(TimeUnit.NANOSECONDS.toMillis(busy[1])).as("the second job only").isBetween(50L, 300L);
        assertThat(busy[2]).as("nothing ran since").isZero();
    }
}
