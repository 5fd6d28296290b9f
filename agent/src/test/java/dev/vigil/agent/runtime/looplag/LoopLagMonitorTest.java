package dev.vigil.agent.runtime.looplag;

import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.channel.DefaultEventLoopGroup;
import io.netty.channel.EventLoop;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.FutureTask;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The Netty probe on a real Netty event loop, the blocked checker, request watch and executor queue wait. */
class LoopLagMonitorTest {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final dev.vigil.exporters.AgentScheduler scheduler = new dev.vigil.exporters.AgentScheduler(Thread::new);

    @org.junit.jupiter.api.AfterEach
    void stopScheduler() {
        scheduler.shutdownNow();
    }

    @Test
    void blockedNettyLoopShowsLagAndIsReportedOncePerStallThenDroppedAtShutdown() throws Exception {
        DefaultEventLoopGroup group = new DefaultEventLoopGroup(1, new io.netty.util.concurrent.DefaultThreadFactory("probeTest"));
        EventLoop loop = group.next();
        try (LoopLagMonitor monitor = new LoopLagMonitor(scheduler,
                new LoopLagMonitor.Settings(true, 20, 200, 0, false, 100), registry)) {
            monitor.eventLoopStarted(loop);
            monitor.eventLoopStarted(loop); // a second start of the same loop keeps one probe
            assertThat(monitor.probedLoops()).isEqualTo(1);
            await().atMost(Duration.ofSeconds(5)).until(() -> lag("vigil.eventloop.lag.max") >= 0);

            // 700 ms: longer than the sparse interval of a quiet loop (200 ms here) by the 0.4 s asserted
            loop.execute(() -> blockFor(700));
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                assertThat(lag("vigil.eventloop.lag.max")).isGreaterThanOrEqualTo(0.4);
                assertThat(blocked("netty")).isEqualTo(1);
            });
            assertThat(registry.scrape()).contains("group=\"probeTest\"", "thread=\"probeTest-");

            // a stall reported once: a second, separate stall is a second report
            loop.execute(() -> blockFor(600));
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(blocked("netty")).isEqualTo(2));

            long t = System.nanoTime();
            group.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
            assertThat(System.nanoTime() - t).as("the probe does not delay shutdown").isLessThan(TimeUnit.SECONDS.toNanos(2));
            await().atMost(Duration.ofSeconds(5)).until(() -> monitor.probedLoops() == 0);
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }

    @Test
    void loopWithoutChannelsIsProbedTenTimesLessOftenUntilOneIsRegistered() {
        io.netty.channel.nio.NioEventLoopGroup group = new io.netty.channel.nio.NioEventLoopGroup(1);
        try {
            EventLoop loop = group.next();
            long interval = TimeUnit.MILLISECONDS.toNanos(20);
            NettyLoopProbe probe = new NettyLoopProbe(loop, interval, thread -> new LagHistogramBridge("netty", registry));
            probe.arm(System.nanoTime());
            await().atMost(Duration.ofSeconds(5)).until(() -> probe.armedIntervalNanos() == interval * NettyLoopProbe.IDLE_FACTOR);

            loop.register(new io.netty.channel.socket.nio.NioSocketChannel()).syncUninterruptibly();
            await().atMost(Duration.ofSeconds(5)).until(() -> probe.armedIntervalNanos() == interval);
            probe.cancel();
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    @Test
    void quietLoopIsProbedTenTimesLessOftenUntilAProbeRunsLate() {
        DefaultEventLoopGroup group = new DefaultEventLoopGroup(1); // counts no channels: never "idle"
        try {
            EventLoop loop = group.next();
            long interval = TimeUnit.MILLISECONDS.toNanos(50);
            NettyLoopProbe probe = new NettyLoopProbe(loop, interval,
                    thread -> new LagHistogramBridge("netty", registry));
            probe.arm(System.nanoTime());
            assertThat(probe.armedIntervalNanos()).isEqualTo(interval);
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> probe.armedIntervalNanos() == interval * NettyLoopProbe.IDLE_FACTOR);

            // a stall longer than the sparse interval: the armed probe runs late, and the loop is probed fully again
            // for at least QUIET_RUNS probes (500 ms here)
            loop.execute(() -> blockFor(600));
            await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(5))
                    .until(() -> probe.armedIntervalNanos() == interval);
            probe.cancel();
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    @Test
    void requestPastItsThresholdIsReportedOnce() throws Exception {
        try (LoopLagMonitor monitor = new LoopLagMonitor(scheduler,
                new LoopLagMonitor.Settings(false, 100, 0, 100, false, 1000), registry)) {
            java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
            Thread request = new Thread(() -> {
                monitor.requests().enter(System.nanoTime());
                try {
                    release.await(30, TimeUnit.SECONDS); // a request stuck until the test has seen the report
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                monitor.requests().exit();
                monitor.requests().enter(System.nanoTime()); // a fast one: not reported
                monitor.requests().exit();
            });
            request.start();
            await().atMost(Duration.ofSeconds(10)).until(() -> blocked("request") >= 1);
            blockFor(300); // more checks during the same stall
            release.countDown();
            request.join();
            blockFor(300);
            assertThat(blocked("request")).as("reported once per stall").isEqualTo(1);
        }
    }

    @Test
    void executorQueueWaitFromSubmitToStart() throws Exception {
        try (LoopLagMonitor monitor = new LoopLagMonitor(scheduler,
                new LoopLagMonitor.Settings(false, 100, 0, 0, true, 1000), registry)) {
            FutureTask<Void> task = new FutureTask<>(() -> null);
            monitor.taskSubmitted(task);
            blockFor(50);
            monitor.taskStarted(task);
            monitor.taskStarted(task); // nothing stamped any more: not recorded twice
            monitor.taskStarted(new FutureTask<>(() -> null)); // never stamped
            assertThat(monitor.queueWait().pending()).isZero();

            ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1);
            try {
                Runnable late = (Runnable) timer.schedule(() -> { }, 0, TimeUnit.NANOSECONDS);
                blockFor(30);
                monitor.taskStarted(late); // a scheduled task's wait is its lateness
            } finally {
                timer.shutdownNow();
            }
            monitor.reportNow();
            String text = registry.scrape();
            assertThat(text).contains("vigil_eventloop_lag_seconds_count{group=\"" + ThreadGroupName.of(Thread.currentThread().getName())
                    + "\",source=\"executor\"} 2");
            assertThat(lag("vigil.eventloop.lag.max")).isGreaterThanOrEqualTo(0.05);
        }
    }

    @Test
    void groupNamesDropNumbers() {
        assertThat(ThreadGroupName.of("nioEventLoopGroup-2-1")).isEqualTo("nioEventLoopGroup");
        assertThat(ThreadGroupName.of("pool-3-thread-7")).isEqualTo("pool-thread");
        assertThat(ThreadGroupName.of("http-nio-8080-exec-10")).isEqualTo("http-nio-exec");
        assertThat(ThreadGroupName.of("vert.x-eventloop-thread-0")).isEqualTo("vert.x-eventloop-thread");
        assertThat(ThreadGroupName.of("main")).isEqualTo("main");
        assertThat(ThreadGroupName.of("42")).isEqualTo("thread");
        assertThat(ThreadGroupName.of(null)).isEqualTo("thread");
    }

    private double lag(String name) {
        return registry.find(name).gauges().stream().mapToDouble(g -> g.value()).filter(v -> !Double.isNaN(v))
                .max().orElse(Double.NaN);
    }

    private double blocked(String source) {
        return registry.find("vigil.eventloop.blocked").tag("source", source).counters().stream()
                .mapToDouble(Counter::count).sum();
    }

    /** The workload under test: a thread busy (sleeping) for {@code millis}, as a blocking call would be. */
    static void blockFor(long millis) {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        for (long left; (left = end - System.nanoTime()) > 0; ) {
            java.util.concurrent.locks.LockSupport.parkNanos(left);
        }
    }
}
