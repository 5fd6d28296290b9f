package dev.vigil.agent.metrics;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class MeterTableTest {
    final MeterTable<String> table = new MeterTable<>();

    @Test
    void aMeterIsMadeOnceAndFoundByEqualTagValues() {
        assertThat(table.get("GET", "/orders", "http", null, null, 200, 0)).isNull();
        AtomicInteger made = new AtomicInteger();
        String meter = table.add(new MeterKey("GET", "/orders", "http", null, null, 200, 0),
                () -> "timer" + made.incrementAndGet());
        assertThat(table.add(new MeterKey("GET", "/orders", "http", null, null, 200, 0), () -> "again"))
                .isEqualTo(meter);
        assertThat(table.get("GET", new String("/orders"), "http", null, null, 200, 0)).isEqualTo("timer1");
        assertThat(table.get("GET", "/orders", "http", null, null, 500, 0)).isNull();
        assertThat(table.get("GET", "/orders", "http", "x", null, 200, 0)).isNull();
        assertThat(made).hasValue(1);
    }

    @Test
    void growingKeepsEveryMeter() {
        for (int i = 0; i < 1000; i++) {
            int status = i;
            table.add(new MeterKey("GET", "/r" + (i % 7), null, null, null, status, 0), () -> "m" + status);
        }
        assertThat(table.size()).isEqualTo(1000);
        for (int i = 0; i < 1000; i++) {
            assertThat(table.get("GET", "/r" + (i % 7), null, null, null, i, 0)).isEqualTo("m" + i);
        }
        assertThat(table.get("GET", "/r0", null, null, null, 1000, 0)).isNull();
    }

    @Test
    void threadsRacingOnNewMetersMakeEachOnce() throws Exception {
        AtomicInteger made = new AtomicInteger();
        AtomicInteger wrong = new AtomicInteger();
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            Thread thread = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < 200; i++) {
                    String found = table.get("q", null, null, null, null, i, 0);
                    if (found == null) {
                        int n = i;
                        found = table.add(new MeterKey("q", null, null, null, null, i, 0), () -> {
                            made.incrementAndGet();
                            return "m" + n;
                        });
                    }
                    if (!found.equals("m" + i)) {
                        wrong.incrementAndGet();
                    }
                }
            });
            threads.add(thread);
            thread.start();
        }
        go.countDown();
        for (Thread thread : threads) {
            thread.join();
        }
        assertThat(made).hasValue(200);
        assertThat(wrong).hasValue(0);
        assertThat(table.size()).isEqualTo(200);
    }
}
